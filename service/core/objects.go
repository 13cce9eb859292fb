package core

import (
	"encoding/json"
	"time"

	"github.com/commonsd/commonsd/models"
)

// Object is what an outbound activity acts on. Each kind is a small typed domain
// value below (or *Outbound, an activity as the object of another) and has exactly
// one converter to ActivityStreams, registered by its type in federation/convert.
// Adding a kind means one value type here and one converter file there.
type Object interface {
	// ObjectID is the object's id (IRI).
	ObjectID() string
}

// Ref is anything referenced by id only: an actor (the object of a Follow, a
// Join, an Add to moderators), a note a Group boosts or moderates.
type Ref struct{ URI string }

func (r Ref) ObjectID() string { return r.URI }

// FlagObject is what a Flag reports: the reported actor, then the reported
// notes, by id only (Mastodon sends this list as the Flag's object, always an
// array).
type FlagObject struct{ URIs []string }

func (f FlagObject) ObjectID() string {
	if len(f.URIs) == 0 {
		return ""
	}
	return f.URIs[0]
}

// NoteObject is a note of ours, embedded whole (Create, Update).
type NoteObject struct {
	Note   *models.Note
	Tags   []models.NoteTag
	Author *models.Actor
}

func (n NoteObject) ObjectID() string { return n.Note.URI }

// Tombstone is what a deleted object of ours leaves behind (the object of Delete).
type Tombstone struct{ URI string }

func (t Tombstone) ObjectID() string { return t.URI }

// FollowObject is a Follow activity (ours or a remote actor's) as the object of
// an Accept, a Reject or an Undo.
type FollowObject struct {
	Follow           *models.Follow
	Follower, Target *models.Actor
}

func (f FollowObject) ObjectID() string { return f.Follow.URI }

// MembershipObject is the Join activity that asked for a membership, as the
// object of an Accept or a Reject.
type MembershipObject struct {
	Membership    *models.Membership
	Member, Group *models.Actor
}

func (m MembershipObject) ObjectID() string { return m.Membership.URI }

// ContributionObject is a contribution (Offer, Add to the commons, the Group's
// Announce). One this instance hosts is embedded; one hosted elsewhere is sent
// by id, and readers fetch it at its origin.
type ContributionObject struct {
	Contribution *models.Contribution
	Group        *models.Actor // the community it is offered to
	// Bounty is the URI of the bounty the contribution claims ("" none).
	Bounty string
}

func (c ContributionObject) ObjectID() string { return c.Contribution.URI }

// OfferObject is the Offer activity that brought a contribution, as the object
// of the Group's Accept or Reject.
type OfferObject struct {
	Contribution       *models.Contribution
	Contributor, Group *models.Actor
}

func (o OfferObject) ObjectID() string { return o.Contribution.OfferURI }

// RelayedActivity is an activity a Group re-publishes as it was received (JSON):
// the object of the Group's Announce (FEP-1b12).
type RelayedActivity struct{ JSON string }

// ObjectID reads the relayed activity's id; an unreadable one has none.
func (r RelayedActivity) ObjectID() string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal([]byte(r.JSON), &v)
	return v.ID
}

// QuestionObject is a governance proposal as a poll (a Question by the Group,
// Create at opening, Update with the tallies at close): Counts are the binding
// ballots by option, Voters the number of binding voters, Lines the plain
// lines shown under the motion (method, quorum, who counts, closing time).
type QuestionObject struct {
	Proposal *models.Proposal
	Group    *models.Actor
	Options  []string
	Counts   map[string]int64
	Voters   int64
	Lines    []string
}

func (q QuestionObject) ObjectID() string { return q.Proposal.URI }

// OutcomeObject is the Group's note announcing a proposal's outcome, in reply
// to its Question, with the result in machine-readable fields of the
// project's namespace (Fields: term → value, e.g. "result": "passed").
type OutcomeObject struct {
	Note   *models.Note
	Author *models.Actor
	Fields map[string]any
}

func (o OutcomeObject) ObjectID() string { return o.Note.URI }

// PollVoteObject is a local user's vote on a remote poll, exactly as
// Mastodon sends its own: a Note with the option as name, in reply to the
// Question, attributed to the voter, addressed to the poll's author only.
type PollVoteObject struct {
	URI      string
	Voter    *models.Actor
	Question string
	Author   string // the poll's author (the only addressee)
	Option   string
}

func (v PollVoteObject) ObjectID() string { return v.URI }

// GroupObject is a local community's Group actor document, embedded whole (the
// object of Update{Group} after a steward or a proposal changed its settings):
// the actor with its community terms (FEP-1b12 moderators, licence, charter,
// posting restriction) and its member count.
type GroupObject struct {
	Group     *models.Actor
	Community *models.Community
	Members   int64
}

func (g GroupObject) ObjectID() string { return g.Group.URI }

// AppealObject is a funding appeal (issue 12) as a Note by its author (Create
// at opening, Update with its progress), with its totals as of Now: the
// content states them in words, the machine fields in numbers.
type AppealObject struct {
	Appeal        *models.FundingAppeal
	Author        *models.Actor
	Raised        models.Money
	Pledged       models.Money
	PledgeCount   int64
	Beneficiaries []*models.Actor // those known here (names for the content)
	Now           time.Time
}

func (a AppealObject) ObjectID() string { return a.Appeal.URI }

// PledgeOfferObject is a pledge as FEP-0837 sends it: Offer{Agreement} whose
// Commitment satisfies the appeal's primary intent with a resource quantity.
// It is the object of our Offer (a local actor pledging to a remote appeal)
// and of the appeal author's Accept or Reject.
type PledgeOfferObject struct {
	Pledge    *models.Pledge
	Pledger   *models.Actor
	AppealURI string
	Author    *models.Actor // the appeal's author, to whom the Offer goes
}

func (p PledgeOfferObject) ObjectID() string { return p.Pledge.URI }

// AgreementObject is the Agreement of a pledge (FEP-0837): the object of the
// Offer a local actor sends to a remote appeal's author.
type AgreementObject struct{ PledgeOfferObject }

func (a AgreementObject) ObjectID() string { return a.Pledge.URI + "#agreement" }
