package signing

// A small parser and serializer for RFC 8941 Structured Field Values, only
// as much as RFC 9421 (Signature-Input, Signature) and RFC 9530
// (Content-Digest) need. It is strict: anything odd is an error, and
// duplicate dictionary keys are rejected rather than "last wins".

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

type sfKind uint8

const (
	sfInteger sfKind = iota + 1
	sfDecimal        // kept as its text
	sfString
	sfToken
	sfBytes
	sfBool
)

type sfItem struct {
	kind   sfKind
	i      int64
	s      string // string, token, decimal text
	b      []byte
	bo     bool
	params []sfParam
}

type sfParam struct {
	key string
	val sfItem // never has params
}

type sfMember struct {
	key   string
	inner bool
	list  []sfItem  // when inner
	item  sfItem    // when !inner
	lp    []sfParam // inner list parameters
}

var errSF = errors.New("malformed structured field")

type sfParser struct {
	s string
	p int
}

func (q *sfParser) eof() bool { return q.p >= len(q.s) }

func (q *sfParser) skipSP() {
	for !q.eof() && q.s[q.p] == ' ' {
		q.p++
	}
}

func (q *sfParser) skipOWS() {
	for !q.eof() && (q.s[q.p] == ' ' || q.s[q.p] == '\t') {
		q.p++
	}
}

func parseSFDictionary(s string) ([]sfMember, error) {
	q := &sfParser{s: s}
	q.skipSP()
	var out []sfMember
	seen := map[string]bool{}
	for !q.eof() {
		key, err := q.key()
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, errSF
		}
		seen[key] = true
		m := sfMember{key: key}
		if !q.eof() && q.s[q.p] == '=' {
			q.p++
			if !q.eof() && q.s[q.p] == '(' {
				m.inner = true
				if m.list, m.lp, err = q.innerList(); err != nil {
					return nil, err
				}
			} else if m.item, err = q.item(); err != nil {
				return nil, err
			}
		} else {
			m.item = sfItem{kind: sfBool, bo: true}
			if m.item.params, err = q.params(); err != nil {
				return nil, err
			}
		}
		out = append(out, m)
		q.skipOWS()
		if q.eof() {
			return out, nil
		}
		if q.s[q.p] != ',' {
			return nil, errSF
		}
		q.p++
		q.skipOWS()
		if q.eof() {
			return nil, errSF
		}
	}
	return out, nil
}

func (q *sfParser) innerList() ([]sfItem, []sfParam, error) {
	q.p++ // '('
	var items []sfItem
	for !q.eof() {
		q.skipSP()
		if q.eof() {
			break
		}
		if q.s[q.p] == ')' {
			q.p++
			ps, err := q.params()
			return items, ps, err
		}
		it, err := q.item()
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
		if q.eof() || (q.s[q.p] != ' ' && q.s[q.p] != ')') {
			return nil, nil, errSF
		}
	}
	return nil, nil, errSF
}

func (q *sfParser) item() (sfItem, error) {
	it, err := q.bareItem()
	if err != nil {
		return it, err
	}
	it.params, err = q.params()
	return it, err
}

func (q *sfParser) params() ([]sfParam, error) {
	var ps []sfParam
	for !q.eof() && q.s[q.p] == ';' {
		q.p++
		q.skipSP()
		key, err := q.key()
		if err != nil {
			return nil, err
		}
		v := sfItem{kind: sfBool, bo: true}
		if !q.eof() && q.s[q.p] == '=' {
			q.p++
			if v, err = q.bareItem(); err != nil {
				return nil, err
			}
		}
		for _, p := range ps {
			if p.key == key {
				return nil, errSF
			}
		}
		ps = append(ps, sfParam{key: key, val: v})
	}
	return ps, nil
}

func (q *sfParser) key() (string, error) {
	if q.eof() {
		return "", errSF
	}
	c := q.s[q.p]
	if !(c >= 'a' && c <= 'z' || c == '*') {
		return "", errSF
	}
	start := q.p
	for !q.eof() {
		c := q.s[q.p]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*' {
			q.p++
			continue
		}
		break
	}
	return q.s[start:q.p], nil
}

func isTChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~:/", c) >= 0
}

func (q *sfParser) bareItem() (sfItem, error) {
	if q.eof() {
		return sfItem{}, errSF
	}
	c := q.s[q.p]
	switch {
	case c == '-' || c >= '0' && c <= '9':
		start := q.p
		q.p++
		dot := false
		for !q.eof() && (q.s[q.p] >= '0' && q.s[q.p] <= '9' || q.s[q.p] == '.' && !dot) {
			if q.s[q.p] == '.' {
				dot = true
			}
			q.p++
		}
		txt := q.s[start:q.p]
		if dot {
			return sfItem{kind: sfDecimal, s: txt}, nil
		}
		if len(strings.TrimPrefix(txt, "-")) == 0 || len(txt) > 16 {
			return sfItem{}, errSF
		}
		n, err := strconv.ParseInt(txt, 10, 64)
		if err != nil {
			return sfItem{}, errSF
		}
		return sfItem{kind: sfInteger, i: n}, nil
	case c == '"':
		q.p++
		var b strings.Builder
		for !q.eof() {
			c := q.s[q.p]
			q.p++
			switch {
			case c == '\\':
				if q.eof() || (q.s[q.p] != '"' && q.s[q.p] != '\\') {
					return sfItem{}, errSF
				}
				b.WriteByte(q.s[q.p])
				q.p++
			case c == '"':
				return sfItem{kind: sfString, s: b.String()}, nil
			case c < 0x20 || c > 0x7e:
				return sfItem{}, errSF
			default:
				b.WriteByte(c)
			}
		}
		return sfItem{}, errSF
	case c == ':':
		q.p++
		end := strings.IndexByte(q.s[q.p:], ':')
		if end < 0 {
			return sfItem{}, errSF
		}
		raw := q.s[q.p : q.p+end]
		q.p += end + 1
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return sfItem{}, errSF
		}
		return sfItem{kind: sfBytes, b: b}, nil
	case c == '?':
		if q.p+1 >= len(q.s) || (q.s[q.p+1] != '0' && q.s[q.p+1] != '1') {
			return sfItem{}, errSF
		}
		q.p += 2
		return sfItem{kind: sfBool, bo: q.s[q.p-1] == '1'}, nil
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '*':
		start := q.p
		for !q.eof() && isTChar(q.s[q.p]) {
			q.p++
		}
		return sfItem{kind: sfToken, s: q.s[start:q.p]}, nil
	}
	return sfItem{}, errSF
}

// serialization

func (it sfItem) appendBare(b []byte) []byte {
	switch it.kind {
	case sfInteger:
		return strconv.AppendInt(b, it.i, 10)
	case sfDecimal, sfToken:
		return append(b, it.s...)
	case sfString:
		b = append(b, '"')
		for i := 0; i < len(it.s); i++ {
			if it.s[i] == '"' || it.s[i] == '\\' {
				b = append(b, '\\')
			}
			b = append(b, it.s[i])
		}
		return append(b, '"')
	case sfBytes:
		b = append(b, ':')
		b = base64.StdEncoding.AppendEncode(b, it.b)
		return append(b, ':')
	case sfBool:
		if it.bo {
			return append(b, "?1"...)
		}
		return append(b, "?0"...)
	}
	return b
}

func appendParams(b []byte, ps []sfParam) []byte {
	for _, p := range ps {
		b = append(b, ';')
		b = append(b, p.key...)
		if p.val.kind == sfBool && p.val.bo {
			continue
		}
		b = append(b, '=')
		b = p.val.appendBare(b)
	}
	return b
}

func appendInnerList(b []byte, items []sfItem, ps []sfParam) []byte {
	b = append(b, '(')
	for i, it := range items {
		if i > 0 {
			b = append(b, ' ')
		}
		b = it.appendBare(b)
		b = appendParams(b, it.params)
	}
	b = append(b, ')')
	return appendParams(b, ps)
}
