package service

// The domain packages' exported names, re-exported so that callers keep
// writing service.Outbound, service.NoteInput, service.LicenceName…: types are
// aliases (the same types), constants the same values, functions the same
// functions. New code may import the domain package instead.

import (
	"github.com/commonsd/commonsd/service/accounts"
	"github.com/commonsd/commonsd/service/admin"
	"github.com/commonsd/commonsd/service/communities"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/service/economy"
	"github.com/commonsd/commonsd/service/governance"
	"github.com/commonsd/commonsd/service/moderation"
	"github.com/commonsd/commonsd/service/notifications"
	"github.com/commonsd/commonsd/service/search"
	"github.com/commonsd/commonsd/service/social"
	"github.com/commonsd/commonsd/service/userdata"
)

// From package core.

type (
	DeliveryFilter             = core.DeliveryFilter
	DeliveryInfo               = core.DeliveryInfo
	Object                     = core.Object
	Ref                        = core.Ref
	NoteObject                 = core.NoteObject
	Tombstone                  = core.Tombstone
	FlagObject                 = core.FlagObject
	FollowObject               = core.FollowObject
	MembershipObject           = core.MembershipObject
	ContributionObject         = core.ContributionObject
	OfferObject                = core.OfferObject
	QuestionObject             = core.QuestionObject
	OutcomeObject              = core.OutcomeObject
	PollVoteObject             = core.PollVoteObject
	GroupObject                = core.GroupObject
	AppealObject               = core.AppealObject
	AnnouncementObject         = core.AnnouncementObject
	PledgeOfferObject          = core.PledgeOfferObject
	AgreementObject            = core.AgreementObject
	RelayedActivity            = core.RelayedActivity
	Publisher                  = core.Publisher
	Resolver                   = core.Resolver
	Outbound                   = core.Outbound
	Job                        = core.Job
	Jobs                       = core.Jobs
	Mail                       = core.Mail
	Mailer                     = core.Mailer
	NoMailer                   = core.NoMailer
	NotificationView           = notifications.View
	NotificationFilter         = notifications.Filter
	NotificationPrefs          = notifications.Settings
	DeliveryLog                = core.DeliveryLog
	DomainPolicy               = core.DomainPolicy
	URLs                       = core.URLs
	Listing                    = core.Listing
	PartnershipOfferObject     = core.PartnershipOfferObject
	PartnershipAgreementObject = core.PartnershipAgreementObject
	NotificationsPrune         = notifications.PruneJob
)

const (
	DeliveryPending   = core.DeliveryPending
	DeliveryScheduled = core.DeliveryScheduled
	DeliveryAvailable = core.DeliveryAvailable
	DeliveryRunning   = core.DeliveryRunning
	DeliveryRetryable = core.DeliveryRetryable
	DeliveryCompleted = core.DeliveryCompleted
	DeliveryCancelled = core.DeliveryCancelled
	DeliveryDiscarded = core.DeliveryDiscarded
	TypeCreate        = core.TypeCreate
	TypeUpdate        = core.TypeUpdate
	TypeDelete        = core.TypeDelete
	TypeFollow        = core.TypeFollow
	TypeAccept        = core.TypeAccept
	TypeReject        = core.TypeReject
	TypeUndo          = core.TypeUndo
	TypeAnnounce      = core.TypeAnnounce
	TypeLike          = core.TypeLike
	TypeBlock         = core.TypeBlock
	TypeJoin          = core.TypeJoin
	TypeLeave         = core.TypeLeave
	TypeOffer         = core.TypeOffer
	TypeAdd           = core.TypeAdd
	TypeRemove        = core.TypeRemove
	TypeLock          = core.TypeLock
	TypeFlag          = core.TypeFlag
	InstanceActorName = core.InstanceActorName
	PublicCollection  = core.PublicCollection
	ListAll           = core.ListAll
	ListTag           = core.ListTag
	ListCommunity     = core.ListCommunity
)

var (
	DeliveryStates     = core.DeliveryStates
	ValidDeliveryState = core.ValidDeliveryState
	IsPublicAddress    = core.IsPublicAddress
	VisibilityOf       = core.VisibilityOf
	VisibleToAnyone    = core.VisibleToAnyone
	NoteScope          = core.NoteScope
	LostRace           = core.LostRace
	DecisionOf         = core.DecisionOf
)

// From package accounts.

type (
	Accounts         = accounts.Accounts
	Registration     = accounts.Registration
	ModerationChange = accounts.ModerationChange
	Actors           = accounts.Actors
	Profile          = accounts.Profile
	Instance         = accounts.Instance
	Stats            = accounts.Stats
	Keys             = accounts.Keys
	PageFetcher      = accounts.PageFetcher
	VerifyFieldsJob  = accounts.VerifyFieldsJob
)

const (
	ImageIcon   = accounts.ImageIcon
	ImageBanner = accounts.ImageBanner
)

var (
	ValidatePassword = accounts.ValidatePassword
	ValidateHandle   = accounts.ValidateHandle
	Fields           = accounts.Fields
	LoadKeys         = accounts.LoadKeys
	HashPassword     = accounts.HashPassword
	CheckPassword    = accounts.CheckPassword
)

// From package social.

type (
	ReportView    = social.ReportView
	Social        = social.Social
	FollowEntry   = social.FollowEntry
	NoteInput     = social.NoteInput
	RemoteNote    = social.RemoteNote
	TimelineEntry = social.TimelineEntry
	NoteEdit      = social.NoteEdit
)

// From package communities.

type (
	Upload            = communities.Upload
	ContributionInput = communities.ContributionInput
	ProfileView       = communities.ProfileView
	RemoteOffer       = communities.RemoteOffer
	Communities       = communities.Communities
	CommunityInput    = communities.CommunityInput
	CommunityPatch    = communities.CommunityPatch
	RevisionInput     = communities.RevisionInput
	RemoteRevision    = communities.RemoteRevision
	MemberRow         = communities.MemberRow
)

var (
	Licences            = communities.Licences
	CommunitySettings   = communities.Settings
	RevisionAttachments = communities.RevisionAttachments
	IsImage             = communities.IsImage
	Attachments         = communities.Attachments
	LicenceName         = communities.LicenceName
	JoinCode            = communities.JoinCode
	JoinMessage         = communities.JoinMessage
	CreditCode          = communities.CreditCode
	PendingContributors = communities.PendingContributors
)

// From package admin.

type (
	FederationAdmin = admin.FederationAdmin
	DomainEntry     = admin.DomainEntry
)

const (
	PolicyBlock  = admin.PolicyBlock
	PolicyAllow  = admin.PolicyAllow
	SourceConfig = admin.SourceConfig
	SourceAdmin  = admin.SourceAdmin
)

var (
	NormalizeDomain = admin.NormalizeDomain
)

// FieldValueHTML is a local profile field's value as it is federated.
var FieldValueHTML = accounts.FieldValueHTML

// From package governance.

type (
	Governance         = governance.Governance
	ProposalInput      = governance.ProposalInput
	ProposalView       = governance.View
	CloseProposalJob   = governance.CloseJob
	GovernanceSettings = governance.Settings
	KindDefaults       = governance.KindDefaults
	RemotePoll         = governance.RemotePoll
	PollOption         = governance.PollOption
	PollView           = governance.PollView
)

// ProposalLines are the plain lines explaining a proposal's rules.
var ProposalLines = governance.Lines

// NotificationsPruneEvery is how often NotificationsPrune runs (periodic job).
const NotificationsPruneEvery = notifications.PruneEvery

// NotificationKinds lists the kinds of notification (notifications.Kinds).
func NotificationKinds() []string { return notifications.Kinds() }

// From package search.

type (
	SearchQuery   = search.Query
	SearchResults = search.Results
)

// Search result types.
const (
	SearchAccounts    = search.TypeAccounts
	SearchCommunities = search.TypeCommunities
	SearchNotes       = search.TypeNotes
	SearchTags        = search.TypeTags
)

// From package userdata.

type (
	UserData = userdata.UserData
	Export   = userdata.Export
)

// From package economy.

type (
	Economy           = economy.Economy
	OrganizationInput = economy.OrganizationInput
	AppealInput       = economy.AppealInput
	AppealTierInput   = economy.TierInput
	AppealView        = economy.AppealView
	AppealFilter      = economy.AppealFilter
	PledgeInput       = economy.PledgeInput
	PledgeView        = economy.PledgeView
	PartnershipInput  = economy.PartnershipInput
	Partnership       = economy.Partnership
	PartnerView       = economy.PartnerView
	ReceiptInput      = economy.ReceiptInput
	DisbursementInput = economy.DisbursementInput
	LedgerScope       = economy.LedgerScope
	LedgerTotals      = economy.Totals
	RemoteAppeal      = economy.RemoteAppeal
	// Coalition announcements (issue 12).
	RemoteAnnouncement    = economy.RemoteAnnouncement
	AnnouncementInput     = economy.AnnouncementInput
	AnnouncementView      = economy.AnnouncementView
	CommunityAnnouncement = economy.CommunityAnnouncement
	BountyView            = economy.BountyView
	RemotePledge          = economy.RemotePledge
	RemotePartnership     = economy.RemotePartnership
	TermsInput            = economy.TermsInput
	AppealEdit            = economy.AppealEdit
)

// PaymentLinks decodes an organization's or an appeal's payment links.
var PaymentLinks = economy.PaymentLinks

// AppealTiers decodes an appeal's suggested amounts.
var AppealTiers = economy.Tiers

// PartnershipTerms reads a partnership's structured measurable terms.
var PartnershipTerms = economy.TermsOf

// From package moderation.

type (
	ReportInput      = moderation.ReportInput
	ReportResolution = moderation.Resolution
	ReportDetail     = moderation.Detail
)

// ReportActions are the actions a report's resolution may take.
var ReportActions = moderation.Actions

// InstanceInfo is what the instance says about itself (admins set it).
type InstanceInfo = accounts.Info

// Coalition announcements in words (issue 12): the content every reader sees
// and the labels the pages use.
var (
	AnnouncementHTML       = economy.AnnouncementHTML
	AnnouncementKindName   = economy.KindName
	AnnouncementPriceLabel = economy.PriceLabel
	AnnouncementPriceText  = economy.PriceText
	AnnouncementAtLabel    = economy.AtLabel
	FormatAnnouncementAt   = economy.FormatAt
)
