// Package search is the search domain: people (local, and remote ones by their
// full handle, resolved by WebFinger through the Resolver port when the
// searcher is logged in), communities, notes and hashtags.
//
// Notes are filtered by the one visibility rule (core.NoteScope with
// core.ListSearch) in SQL before paging; the matching is the store's:
// PostgreSQL full-text search (websearch_to_tsquery over a GIN index), SQLite
// a LIKE per word. Queries are plain text: LIKE wildcards and tsquery
// operators typed by the searcher are taken literally or parsed by
// websearch_to_tsquery, which never fails on its input.
//
// It calls no other domain; it sees the store only through Store.
package search

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/commonsd/commonsd/config"
	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/service/core"
	"github.com/commonsd/commonsd/store"
)

// Deps is everything the search domain needs, passed explicitly (no hub).
type Deps struct {
	Store    Store
	Cfg      config.Config
	Log      *slog.Logger
	Resolver core.Resolver // nil until the federation edge exists
}

// Store is the part of the store this package uses (satisfied by *store.Store).
type Store interface {
	ActorByHandle(ctx context.Context, username, domain string) (*models.Actor, error)
	ActorsByIDs(ctx context.Context, ids []string) (map[string]*models.Actor, error)
	NoteTagsOf(ctx context.Context, noteIDs []string) (map[string][]models.NoteTag, error)
	SearchActors(ctx context.Context, q, typ string, limit int) ([]models.Actor, error)
	SearchNotes(ctx context.Context, q string, scope store.NoteScope, limit, offset int) ([]models.Note, error)
	SearchTags(ctx context.Context, prefix string, limit int) ([]store.TagCount, error)
}

var _ Store = (*store.Store)(nil)

// Search runs searches.
type Search struct{ d Deps }

// New builds the search service.
func New(d Deps) *Search { return &Search{d: d} }

// SetResolver plugs in the federation edge's resolver, built after the services.
func (s *Search) SetResolver(r core.Resolver) { s.d.Resolver = r }

// Types a search can be restricted to.
const (
	TypeAccounts    = "accounts"
	TypeCommunities = "communities"
	TypeNotes       = "notes"
	TypeTags        = "tags"
)

// MaxQuery is the longest query accepted, in characters.
const MaxQuery = 200

// Query is one search.
type Query struct {
	Q      string
	Type   string // one of the Type constants; "" for all
	Limit  int    // per type; default 20, at most 40
	Offset int    // notes only
}

// NoteHit is a matching note with its author and tags.
type NoteHit struct {
	Note   models.Note
	Author *models.Actor
	Tags   []models.NoteTag
}

// Results of a search. Resolved is set when a remote account was looked up
// by its handle for this search.
type Results struct {
	Accounts    []*models.Actor
	Communities []*models.Actor
	Notes       []NoteHit
	Tags        []store.TagCount
	Resolved    bool
}

// handleRE is a full handle: user@host, with an optional leading @.
var handleRE = regexp.MustCompile(`^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+(?::[0-9]{1,5})?)$`)

// Run searches for reader (nil: anonymous).
func (s *Search) Run(ctx context.Context, reader *models.Actor, q Query) (*Results, error) {
	q.Q = strings.TrimSpace(q.Q)
	if !utf8.ValidString(q.Q) || strings.ContainsRune(q.Q, 0) {
		return nil, errs.Unprocessable("the search is not valid text")
	}
	if n := utf8.RuneCountInString(q.Q); n == 0 {
		return nil, errs.Unprocessable("type something to search for")
	} else if n > MaxQuery {
		return nil, errs.Unprocessable("a search is at most %d characters", MaxQuery)
	}
	switch q.Type {
	case "", TypeAccounts, TypeCommunities, TypeNotes, TypeTags:
	default:
		return nil, errs.Unprocessable("type must be accounts, communities, notes or tags")
	}
	if q.Limit <= 0 || q.Limit > 40 {
		q.Limit = 20
	}
	if q.Offset < 0 || q.Offset > 10000 {
		q.Offset = 0
	}
	all := q.Type == ""
	out := &Results{Accounts: []*models.Actor{}, Communities: []*models.Actor{}, Notes: []NoteHit{}, Tags: []store.TagCount{}}
	var err error
	if all || q.Type == TypeAccounts {
		if out.Accounts, err = s.actors(ctx, q.Q, models.ActorPerson, q.Limit); err != nil {
			return nil, err
		}
	}
	if all || q.Type == TypeCommunities {
		if out.Communities, err = s.actors(ctx, q.Q, models.ActorGroup, q.Limit); err != nil {
			return nil, err
		}
	}
	if (all || q.Type == TypeAccounts || q.Type == TypeCommunities) && len(out.Accounts) == 0 && len(out.Communities) == 0 {
		if a := s.resolve(ctx, reader, q.Q); a != nil {
			out.Resolved = true
			switch {
			case a.Type == models.ActorPerson && q.Type != TypeCommunities:
				out.Accounts = []*models.Actor{a}
			case a.Type == models.ActorGroup && q.Type != TypeAccounts:
				out.Communities = []*models.Actor{a}
			}
		}
	}
	if all || q.Type == TypeNotes {
		if out.Notes, err = s.notes(ctx, reader, q); err != nil {
			return nil, err
		}
	}
	if all || q.Type == TypeTags {
		tag := strings.TrimPrefix(q.Q, "#")
		if !strings.ContainsAny(tag, " \t") {
			if out.Tags, err = s.d.Store.SearchTags(ctx, tag, q.Limit); err != nil {
				return nil, errs.Internal(err)
			}
		}
	}
	return out, nil
}

// actors finds actors of a type: by substring of username or display name, or,
// for a full handle, that one actor when it is known here.
func (s *Search) actors(ctx context.Context, q, typ string, limit int) ([]*models.Actor, error) {
	m := handleRE.FindStringSubmatch(q)
	switch {
	case m != nil && strings.EqualFold(m[2], s.d.Cfg.PublicHost()):
		q = m[1] // our own handle: the local actor
	case m != nil:
		a, err := s.d.Store.ActorByHandle(ctx, m[1], m[2])
		if err != nil || a.Type != typ || a.Suspended || a.DeletedAt != nil {
			return []*models.Actor{}, nil
		}
		return []*models.Actor{a}, nil
	}
	list, err := s.d.Store.SearchActors(ctx, strings.TrimPrefix(q, "@"), typ, limit)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]*models.Actor, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out, nil
}

// resolve looks a full remote handle up by WebFinger (under the domain
// policy), only for a logged-in local reader: anonymous searches never make
// this server contact another.
func (s *Search) resolve(ctx context.Context, reader *models.Actor, q string) *models.Actor {
	m := handleRE.FindStringSubmatch(q)
	if m == nil || strings.EqualFold(m[2], s.d.Cfg.PublicHost()) || reader == nil || !reader.Local() || s.d.Resolver == nil {
		return nil
	}
	a, err := s.d.Resolver.ResolveActor(ctx, m[1]+"@"+m[2])
	if err != nil {
		s.d.Log.Info("search: handle not resolved", "handle", q, "err", err)
		return nil
	}
	if a.Suspended || a.DeletedAt != nil {
		return nil
	}
	return a
}

func (s *Search) notes(ctx context.Context, reader *models.Actor, q Query) ([]NoteHit, error) {
	notes, err := s.d.Store.SearchNotes(ctx, q.Q, core.NoteScope(reader, core.ListSearch), q.Limit, q.Offset)
	if err != nil {
		return nil, errs.Internal(err)
	}
	ids := make([]string, 0, len(notes))
	nids := make([]string, 0, len(notes))
	for _, n := range notes {
		ids = append(ids, n.AuthorID)
		nids = append(nids, n.ID)
	}
	authors, err := s.d.Store.ActorsByIDs(ctx, ids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	tags, err := s.d.Store.NoteTagsOf(ctx, nids)
	if err != nil {
		return nil, errs.Internal(err)
	}
	out := make([]NoteHit, 0, len(notes))
	for _, n := range notes {
		if a := authors[n.AuthorID]; a != nil {
			out = append(out, NoteHit{Note: n, Author: a, Tags: tags[n.ID]})
		}
	}
	return out, nil
}
