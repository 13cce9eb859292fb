package governance

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Kind is one kind of proposal: its arguments, their validation and the effect
// the community carries out when a proposal of this kind passes. Each kind is
// one file (kind_*.go) that registers itself; nothing else changes to add one.
type Kind interface {
	// Name is the kind's stable identifier (stored, and used by the API).
	Name() string
	// Validate checks a proposal's arguments in group and returns them
	// normalised (e.g. a handle turned into the actor's URI). It runs when the
	// proposal is opened; Apply checks again at close.
	Validate(ctx context.Context, g *Governance, group *models.Actor, args json.RawMessage) (json.RawMessage, error)
	// Apply carries out a passed proposal's effect inside tx, the close's
	// transaction, and says what happened in words. An *errs.Error below 500
	// means the effect can no longer apply (recorded in the outcome); any
	// other error rolls the close back to be retried.
	Apply(ctx context.Context, tx *store.Store, g *Governance, group *models.Actor, p *models.Proposal) (string, error)
}

var kinds = map[string]Kind{}

func register(k Kind) { kinds[k.Name()] = k }

// Kinds lists the registered kinds' names, sorted.
func Kinds() []string {
	out := make([]string, 0, len(kinds))
	for n := range kinds {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// memberArgs are the arguments of the kinds that name one member.
type memberArgs struct {
	Member string `json:"member"` // a handle ("ada", "ada@example.org") or an actor URI; stored as the URI
	Role   string `json:"role,omitempty"`
}

// requestedMember is the first half every member kind's Validate shares: the
// arguments decoded strictly, the role checked by checkRole (before anything
// is looked up), the named actor found and its membership of group (nil:
// none). Each kind then says which membership it needs.
func requestedMember(ctx context.Context, g *Governance, group *models.Actor, raw json.RawMessage, checkRole func(role string) error) (memberArgs, *models.Actor, *models.Membership, error) {
	var a memberArgs
	if err := decodeArgs(raw, &a); err != nil {
		return a, nil, nil, err
	}
	if err := checkRole(a.Role); err != nil {
		return a, nil, nil, err
	}
	who, err := g.findActor(ctx, a.Member)
	if err != nil {
		return a, nil, nil, err
	}
	return a, who, g.membership(ctx, group, who), nil
}

// noRole is the role check of the kinds that take none.
func noRole(kind, why string) func(string) error {
	return func(role string) error {
		if role != "" {
			return errs.Unprocessable("%s takes no role%s", kind, why)
		}
		return nil
	}
}

// appliedMember reads the member a passed proposal of a member kind names (its
// arguments were normalised by Validate); a member no longer known here is a
// conflict the outcome reports.
func appliedMember(ctx context.Context, tx *store.Store, p *models.Proposal) (memberArgs, *models.Actor, error) {
	var a memberArgs
	if err := json.Unmarshal([]byte(p.Args), &a); err != nil {
		return a, nil, err
	}
	who, err := tx.ActorByURI(ctx, a.Member)
	if err != nil {
		return a, nil, errs.Conflict("the member %s is no longer known", a.Member)
	}
	return a, who, nil
}

// decodeArgs reads a kind's arguments strictly (unknown fields refused).
func decodeArgs(raw json.RawMessage, into any) error {
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return errs.Unprocessable("invalid arguments: %v", err)
	}
	return nil
}

// findActor finds a known actor by URI or handle.
func (g *Governance) findActor(ctx context.Context, ref string) (*models.Actor, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, errs.Unprocessable("a member is required")
	}
	var (
		a   *models.Actor
		err error
	)
	if strings.HasPrefix(ref, "https://") || strings.HasPrefix(ref, "http://") {
		a, err = g.d.Store.ActorByURI(ctx, ref)
	} else {
		user, domain, _ := strings.Cut(strings.TrimPrefix(ref, "@"), "@")
		if strings.EqualFold(domain, g.localHost()) {
			domain = ""
		}
		a, err = g.d.Store.ActorByHandle(ctx, user, domain)
	}
	if err != nil {
		return nil, errs.Unprocessable("unknown actor %s", ref)
	}
	return a, nil
}

// membership returns a's membership of group, nil when there is none.
func (g *Governance) membership(ctx context.Context, group, a *models.Actor) *models.Membership {
	m, err := g.d.Store.Membership(ctx, group.ID, a.ID)
	if err != nil {
		return nil
	}
	return m
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
