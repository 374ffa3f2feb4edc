package desk

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Text is something said in Chinese and in English.
type Text struct{ Zh, En string }

// Lang is the language a page is shown in: Chinese first with English
// beside it, or the other way round. Templates call its methods to say
// things in it.
type Lang struct{ en bool }

// Langs the desk speaks; the zero Lang is Chinese.
var (
	Chinese = Lang{}
	English = Lang{en: true}
)

// Code returns the language's code for the html lang attribute.
func (l Lang) Code() string {
	if l.en {
		return "en"
	}
	return "zh-CN"
}

// Other returns the language to switch to.
func (l Lang) Other() Lang { return Lang{en: !l.en} }

// Name returns the language's name, said in itself.
func (l Lang) Name() string {
	if l.en {
		return "English"
	}
	return "中文"
}

// Param returns the value of the lang cookie for the language.
func (l Lang) Param() string {
	if l.en {
		return "en"
	}
	return "zh"
}

// One picks the text in the page's language.
func (l Lang) One(t Text) string {
	if l.en {
		return t.En
	}
	return t.Zh
}

// Both shows t in the page's language with the other beside it, smaller:
// <span class="p">…</span> <span class="s" lang="…">…</span>. A text the
// same in both, or missing in one, is shown once.
func (l Lang) Both(t Text) template.HTML {
	p, s, sl := t.Zh, t.En, "en"
	if l.en {
		p, s, sl = t.En, t.Zh, "zh-CN"
	}
	if p == "" {
		p, s = s, ""
	}
	var b strings.Builder
	b.WriteString(`<span class="p">`)
	b.WriteString(template.HTMLEscapeString(p))
	b.WriteString(`</span>`)
	if s != "" && s != p {
		fmt.Fprintf(&b, ` <span class="s" lang="%s">%s</span>`, sl, template.HTMLEscapeString(s))
	}
	return template.HTML(b.String())
}

// T is a phrase of the page's frame, by its key in phrases.
func (l Lang) T(key string) string { return l.One(phrase(key)) }

// B is T, shown with the other language beside it.
func (l Lang) B(key string) template.HTML { return l.Both(phrase(key)) }

func phrase(key string) Text {
	t, ok := phrases[key]
	if !ok {
		panic("desk: no phrase " + key) // a template names a phrase that is not there: caught by every page test
	}
	return t
}

// words makes the English of an enum's text form: "pending_review" is
// "pending review".
func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// State, Kind, Actor, Action and the others give an enum's Chinese label
// and its English words.
func (l Lang) State(s aftersale.State) template.HTML {
	if s == 0 {
		return l.B("no_case")
	}
	return l.Both(Text{s.Label(), words(s.String())})
}

func (l Lang) Kind(k aftersale.Kind) template.HTML {
	return l.Both(Text{k.Label(), words(k.String())})
}

func (l Lang) Actor(a aftersale.Actor) template.HTML {
	if a == 0 {
		return ""
	}
	return l.Both(Text{a.Label(), a.String()})
}

func (l Lang) Action(a aftersale.Action) template.HTML {
	return l.Both(Text{a.Label(), words(a.String())})
}

func (l Lang) Reason(r aftersale.Reason) template.HTML {
	if r == 0 {
		return ""
	}
	return l.Both(Text{r.Label(), words(r.String())})
}

func (l Lang) Category(c aftersale.Category) template.HTML {
	return l.Both(Text{c.Label(), words(c.String())})
}

func (l Lang) Effect(k aftersale.EffectKind) template.HTML {
	return l.Both(Text{k.Label(), k.String()})
}

func (l Lang) Payer(p aftersale.Payer) template.HTML {
	return l.Both(Text{p.Label(), p.String()})
}

func (l Lang) Closed(r aftersale.ClosedReason) template.HTML {
	if r == 0 {
		return ""
	}
	return l.Both(Text{r.Label(), words(r.String())})
}

// Time shows a time to the minute in the desk's zone.
func (l Lang) Time(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04")
}

// Left says how long until the deadline at due, seen at now: "剩 1天 4小时"
// or "1d 4h left", "超时 3小时" or "3h overdue". The page's script says
// the same every second while the demo clock runs.
func (l Lang) Left(due, now time.Time) string {
	if due.IsZero() {
		return "—"
	}
	d := due.Sub(now)
	over := d < 0
	if over {
		d = -d
	}
	s := span(d, l.en)
	switch {
	case l.en && over:
		return s + " overdue"
	case l.en:
		return s + " left"
	case over:
		return "超时 " + s
	default:
		return "剩 " + s
	}
}

// span is d in its two largest units: "1d 4h", "4h 05m", "5m 09s".
func span(d time.Duration, en bool) string {
	sec := int64(d / time.Second)
	days, hours, mins, secs := sec/86400, sec/3600%24, sec/60%60, sec%60
	u := [4]string{"天", "小时", "分", "秒"}
	if en {
		u = [4]string{"d", "h", "m", "s"}
	}
	switch {
	case days > 0:
		return fmt.Sprintf("%d%s %d%s", days, u[0], hours, u[1])
	case hours > 0:
		return fmt.Sprintf("%d%s %02d%s", hours, u[1], mins, u[2])
	default:
		return fmt.Sprintf("%d%s %02d%s", mins, u[2], secs, u[3])
	}
}

// Urgency classes a deadline for colour: overdue, within 24 hours, later.
func (l Lang) Urgency(due, now time.Time) string {
	switch d := due.Sub(now); {
	case due.IsZero():
		return "none"
	case d <= 0:
		return "over"
	case d <= 24*time.Hour:
		return "soon"
	default:
		return "later"
	}
}

// Money shows an amount in yuan: "¥299.00".
func (l Lang) Money(m aftersale.Money) string { return "¥" + m.String() }

// Next says what happens next in the page's language, with the other
// beside it.
func (l Lang) Next(n aftersale.Next) template.HTML {
	return l.Both(Text{n.Zh(), n.En()})
}
