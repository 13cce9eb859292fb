package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/commonsd/commonsd/errs"
	"github.com/commonsd/commonsd/models"
	"github.com/commonsd/commonsd/store"
)

// Info is what the instance says about itself: its name, a description, its
// rules, a contact and its terms. Admins change it at run time (one JSON
// setting); the configuration's instance.name, description and contact_email
// are the defaults until then. The About and rules pages, the layout, NodeInfo
// and GET /api/v1/instance show it.
type Info struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Rules       []string `json:"rules"`
	Contact     string   `json:"contact"` // an e-mail address
	Terms       string   `json:"terms"`   // plain text, paragraphs separated by blank lines
}

// Limits of the instance information.
const (
	MaxInfoName        = 100
	MaxInfoDescription = 2000
	MaxRules           = 30
	MaxRule            = 500
	MaxTerms           = 20000
)

const settingInstanceInfo = "instance_info"

// infoTTL bounds how stale another process's copy may be.
const infoTTL = 30 * time.Second

type infoCache struct {
	mu   sync.Mutex
	info *Info
	at   time.Time
}

// Info returns the instance information (cached; re-read every infoTTL).
func (i *Instance) Info(ctx context.Context) Info {
	c := i.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.info != nil && time.Since(c.at) < infoTTL {
		return copyInfo(*c.info)
	}
	cfg := i.d.Cfg.Instance
	info := Info{Name: cfg.Name, Description: cfg.Description, Contact: cfg.ContactEmail, Rules: []string{}}
	if v, err := i.d.Store.Setting(ctx, settingInstanceInfo); err == nil {
		var saved Info
		if json.Unmarshal([]byte(v), &saved) == nil {
			info = saved
			if info.Rules == nil {
				info.Rules = []string{}
			}
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		i.d.Log.Warn("instance info not read", "err", err)
		return copyInfo(info) // not cached: read again next time
	}
	c.info, c.at = &info, time.Now()
	return copyInfo(info)
}

func copyInfo(in Info) Info {
	in.Rules = append([]string{}, in.Rules...)
	return in
}

// SetInfo saves the instance information (admins only); every field is
// checked and all problems are reported at once.
func (i *Instance) SetInfo(ctx context.Context, by *models.User, in Info) (Info, error) {
	if by == nil || by.Role != models.RoleAdmin {
		return Info{}, errs.Forbidden("only admins may change the instance settings")
	}
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.Contact = strings.ToLower(strings.TrimSpace(in.Contact))
	in.Terms = strings.TrimSpace(strings.ReplaceAll(in.Terms, "\r\n", "\n"))
	rules := []string{}
	for _, r := range in.Rules {
		if r = strings.TrimSpace(r); r != "" {
			rules = append(rules, r)
		}
	}
	in.Rules = rules
	var problems []string
	if n := utf8.RuneCountInString(in.Name); n == 0 || n > MaxInfoName {
		problems = append(problems, "name must be 1 to 100 characters")
	}
	if utf8.RuneCountInString(in.Description) > MaxInfoDescription {
		problems = append(problems, "description must be at most 2000 characters")
	}
	if len(in.Rules) > MaxRules {
		problems = append(problems, "rules: at most 30")
	}
	for _, r := range in.Rules {
		if utf8.RuneCountInString(r) > MaxRule {
			problems = append(problems, "rules: each at most 500 characters")
			break
		}
	}
	if in.Contact != "" {
		if err := validateEmail(in.Contact); err != nil {
			problems = append(problems, "contact must be an e-mail address")
		}
	}
	if utf8.RuneCountInString(in.Terms) > MaxTerms {
		problems = append(problems, "terms must be at most 20000 characters")
	}
	if len(problems) > 0 {
		return Info{}, errs.Unprocessable("%s", strings.Join(problems, "; "))
	}
	b, _ := json.Marshal(in)
	if err := i.d.Store.PutSetting(ctx, settingInstanceInfo, string(b)); err != nil {
		return Info{}, errs.Internal(err)
	}
	i.cache.mu.Lock()
	i.cache.info = nil
	i.cache.mu.Unlock()
	i.d.Log.Info("instance settings changed", "by", by.Username)
	return copyInfo(in), nil
}
