package core

// URLs builds this instance's public URLs in one place so ids never disagree.
type URLs struct{ Base string }

func (u URLs) Actor(username string) string     { return u.Base + "/users/" + username }
func (u URLs) Inbox(username string) string     { return u.Actor(username) + "/inbox" }
func (u URLs) Outbox(username string) string    { return u.Actor(username) + "/outbox" }
func (u URLs) Followers(username string) string { return u.Actor(username) + "/followers" }
func (u URLs) Following(username string) string { return u.Actor(username) + "/following" }
func (u URLs) Featured(username string) string  { return u.Actor(username) + "/collections/featured" }
func (u URLs) Profile(username string) string   { return u.Base + "/@" + username }
func (u URLs) SharedInbox() string              { return u.Base + "/inbox" }
func (u URLs) InstanceActor() string            { return u.Base + "/actor" }
func (u URLs) Media(id string) string           { return u.Base + "/media/" + id }
func (u URLs) KeyID(actorURI string) string     { return actorURI + "#main-key" }

// Ed25519KeyID is the id of a local actor's Ed25519 Multikey (assertionMethod).
func (u URLs) Ed25519KeyID(actorURI string) string { return actorURI + "#ed25519-key" }
func (u URLs) Activity(id string) string           { return u.Base + "/activities/" + id }
func (u URLs) Note(id string) string               { return u.Base + "/notes/" + id }
func (u URLs) Contribution(id string) string       { return u.Base + "/contributions/" + id }

// InstanceActorName is the reserved username of the instance's Application actor.
const InstanceActorName = "instance.actor"

// PublicCollection is ActivityStreams' "everyone" address.
const PublicCollection = "https://www.w3.org/ns/activitystreams#Public"

// Economy (issue 12).
func (u URLs) Appeal(id string) string      { return u.Base + "/appeals/" + id }
func (u URLs) Pledge(id string) string      { return u.Base + "/pledges/" + id }
func (u URLs) LedgerEntry(id string) string { return u.Base + "/ledger/" + id }

// Funds is the money ledger of an organization or a community (the
// contributions ledger of a community is Actor(name)+"/ledger").
func (u URLs) Funds(username string) string { return u.Actor(username) + "/funds" }

// Announcement is a coalition announcement's Note (issue 12).
func (u URLs) Announcement(id string) string { return u.Base + "/announcements/" + id }
