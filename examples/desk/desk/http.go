package desk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

func (d *Desk) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", d.serveQueue)
	m.HandleFunc("GET /case/{order}/{case}", d.serveCase)
	m.HandleFunc("POST /case/{order}/{case}", d.serveCommand)
	m.HandleFunc("POST /clock", d.serveClock)
	m.HandleFunc("GET /lang", d.serveLang)
	m.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assetFS)))
	d.mux = m
}

// frame is what every page shows around its content.
type frame struct {
	L       Lang
	Now     time.Time
	Running bool
	Path    string // the page's own path and query, for the clock and language forms to come back to
	Title   string
	Fired   int // deadlines the clock just fired; -1: none was due
}

// NowMS is the demo time in milliseconds, for the page's countdowns.
func (f frame) NowMS() int64 { return f.Now.UnixMilli() }

func (d *Desk) frame(r *http.Request, title string) frame {
	f := frame{L: langOf(r), Now: d.cfg.Clock.Now(), Running: d.cfg.Clock.Running(), Path: r.URL.RequestURI(), Title: title}
	if s := r.URL.Query().Get("fired"); s != "" {
		f.Fired, _ = strconv.Atoi(s)
		if f.Fired == 0 {
			f.Fired = -1
		}
		q := r.URL.Query()
		q.Del("fired")
		f.Path = withQuery(r.URL.Path, q)
	}
	return f
}

func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// langOf reads the page's language: a lang cookie, else Chinese.
func langOf(r *http.Request) Lang {
	if c, err := r.Cookie("lang"); err == nil && c.Value == "en" {
		return English
	}
	return Chinese
}

// catchUp fires what fell due before a page is shown; a store that fails
// is logged, and the page shows what the store holds.
func (d *Desk) catchUp(r *http.Request) {
	if _, err := d.CatchUp(r.Context()); err != nil {
		d.cfg.Log("%v", err)
	}
}

func (d *Desk) render(w http.ResponseWriter, status int, name string, view any) {
	var buf bytes.Buffer
	if err := d.pages.ExecuteTemplate(&buf, name, view); err != nil {
		d.cfg.Log("desk: rendering %s: %v", name, err)
		http.Error(w, "desk: the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// queueView is the queue page.
type queueView struct {
	frame
	Page  Page
	Rows  []queueRow
	F     Filter
	Kinds []aftersale.Kind
	query url.Values
}

// queueRow is one row of the queue, said in the page's language before
// the template runs: a page may list thousands, and a template calls
// methods through reflection.
type queueRow struct {
	Link, Case, State, Kind, Waiting string // the case page's path, and text forms for data attributes
	Due                              countdown
	DueAt, Amount                    string
	Title, KindText, StateText, Who  template.HTML
	Then                             template.HTML
	Alerted                          bool
}

func rowsOf(l Lang, now time.Time, entries []Entry) []queueRow {
	rows := make([]queueRow, len(entries))
	for i := range entries {
		e := &entries[i]
		then := l.B("then_alert")
		if !e.Next.Deadline.Alert {
			then = l.Action(e.Next.Action) + " → " + l.State(e.Next.To)
		}
		rows[i] = queueRow{
			Link: casePath(e.Order, e.Case), Case: e.Case, State: e.State.String(), Kind: e.Kind.String(), Waiting: e.Next.Waiting.String(),
			Due: countdown{l, e.Due(), now}, DueAt: l.Time(e.Due()), Amount: l.Money(e.Amount),
			Title: l.Both(e.Title), KindText: l.Kind(e.Kind), StateText: l.State(e.State), Who: l.Actor(e.Next.Waiting),
			Then: then, Alerted: e.Alerted,
		}
	}
	return rows
}

// PageURL links to page n of the same filter.
func (v queueView) PageURL(n int) string {
	q := url.Values{}
	for k, vs := range v.query {
		if k != "page" && k != "fired" {
			q[k] = vs
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	return withQuery("/", q)
}

func (d *Desk) serveQueue(w http.ResponseWriter, r *http.Request) {
	d.catchUp(r)
	q := r.URL.Query()
	f := Filter{Mine: q.Get("mine") != "", Alerted: q.Get("alerted") != ""}
	if q.Get("soon") != "" {
		f.Within = 24 * time.Hour
	}
	if k := q.Get("kind"); k != "" {
		if err := f.Kind.UnmarshalText([]byte(k)); err != nil {
			f.Kind = 0 // an unknown kind filters nothing out
		}
	}
	n, _ := strconv.Atoi(q.Get("page"))
	v := queueView{frame: d.frame(r, langOf(r).T("queue")), F: f, query: q, Kinds: kinds}
	v.Page = d.queue.Select(f, v.Now, n, d.cfg.PageSize)
	v.Rows = rowsOf(v.L, v.Now, v.Page.Entries)
	d.render(w, http.StatusOK, "queue.html", v)
}

var kinds = []aftersale.Kind{aftersale.KindRefundOnly, aftersale.KindReturnRefund, aftersale.KindExchange, aftersale.KindReissue, aftersale.KindRepair}

func (d *Desk) serveCase(w http.ResponseWriter, r *http.Request) {
	d.catchUp(r)
	o, err := d.cfg.Store.Load(r.Context(), r.PathValue("order"))
	v := d.caseView(r, o, err)
	if v.Case == nil {
		d.render(w, http.StatusNotFound, "missing.html", v)
		return
	}
	if s := r.URL.Query().Get("done"); s != "" {
		seq, _ := strconv.Atoi(s)
		for _, ev := range v.Events {
			if ev.Seq == seq {
				v.Done = &ev
			}
		}
	}
	d.render(w, http.StatusOK, "case.html", v)
}

// serveCommand sends the merchant's command from a case page's form.
// Success goes back to the case page, saying what was done; a refusal
// shows the page again with the library's reason, and nothing changed.
func (d *Desk) serveCommand(w http.ResponseWriter, r *http.Request) {
	d.catchUp(r)
	orderID, caseID := r.PathValue("order"), r.PathValue("case")
	cmd, err := commandOf(r, caseID)
	if err == nil {
		_, out, aerr := d.apply(r.Context(), orderID, cmd)
		if aerr == nil {
			http.Redirect(w, r, fmt.Sprintf("%s?done=%d", casePath(orderID, caseID), out.Event.Seq), http.StatusSeeOther)
			return
		}
		err = aerr
	}
	o, lerr := d.cfg.Store.Load(r.Context(), orderID)
	v := d.caseView(r, o, lerr)
	if v.Case == nil {
		d.render(w, http.StatusNotFound, "missing.html", v)
		return
	}
	v.Path = casePath(orderID, caseID)
	v.Tried = cmd.Action
	v.Refusal = refusalOf(err)
	v.posted = r.PostForm
	for i := range v.Moves {
		v.Moves[i].fill(v.posted, cmd.Action)
	}
	d.render(w, statusOf(v.Refusal.Code), "case.html", v)
}

func casePath(orderID, caseID string) string {
	return "/case/" + url.PathEscape(orderID) + "/" + url.PathEscape(caseID)
}

// refusalOf returns err as the library's refusal; an error of the store
// that is none becomes one without a rule, so the page can show it.
func refusalOf(err error) *aftersale.Error {
	var e *aftersale.Error
	if errors.As(err, &e) {
		return e
	}
	return &aftersale.Error{Message: err.Error(), Zh: "操作未完成：" + err.Error()}
}

// statusOf is the desk's HTTP status for a refusal, as the README of
// the repository suggests a host map them.
func statusOf(c aftersale.Code) int {
	switch c {
	case aftersale.ErrNotFound:
		return http.StatusNotFound
	case aftersale.ErrNotPermitted, aftersale.ErrConflict, aftersale.ErrClockRegressed:
		return http.StatusConflict
	case aftersale.ErrInvalidInput, aftersale.ErrNotEligible:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

// commandOf reads a case form into the merchant's command. It passes on
// what the merchant typed, empty fields left out, and leaves it to the
// engine to say what is missing or does not belong: the desk's forms
// hold the fields Order.Allowed names, and the refusal of anything else
// is the library's.
func commandOf(r *http.Request, caseID string) (aftersale.Command, error) {
	if err := r.ParseForm(); err != nil {
		return aftersale.Command{}, err
	}
	f := r.PostForm
	cmd := aftersale.Command{Case: caseID, Actor: aftersale.ActorMerchant}
	if err := cmd.Action.UnmarshalText([]byte(f.Get("action"))); err != nil {
		return cmd, err
	}
	cmd.Note = strings.TrimSpace(f.Get("note"))
	cmd.Carrier = strings.TrimSpace(f.Get("carrier"))
	cmd.Waybill = strings.TrimSpace(f.Get("waybill"))
	cmd.Key = f.Get("key")
	for name, m := range map[string]*aftersale.Money{"amount": &cmd.Amount, "freight": &cmd.Freight} {
		if s := strings.TrimSpace(f.Get(name)); s != "" {
			v, err := aftersale.ParseMoney(strings.TrimPrefix(s, "¥"))
			if err != nil {
				return cmd, err
			}
			*m = v
		}
	}
	if s := f.Get("version"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			return cmd, &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: "version must be a number", Zh: "版本号须为数字"}
		}
		cmd.Version = v
	}
	return cmd, nil
}

// formKey is the idempotency key of a form: the same for the same move on
// the same version of the case, so a form sent twice (a double click, a
// resend after a lost answer) is applied once.
func formKey(orderID, caseID string, version int, a aftersale.Action) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%q %q %d %s", orderID, caseID, version, a)))
	return "desk-" + hex.EncodeToString(sum[:12])
}

// serveClock moves the demo clock forward and fires what fell due, then
// goes back to the page it came from, saying how many deadlines fired.
func (d *Desk) serveClock(w http.ResponseWriter, r *http.Request) {
	by, err := time.ParseDuration(r.PostFormValue("by"))
	if err != nil || by <= 0 || by > 7*24*time.Hour {
		http.Error(w, "desk: by must be a duration from 1s to 168h, such as 1h or 24h", http.StatusBadRequest)
		return
	}
	d.cfg.Clock.Forward(by)
	fired, err := d.CatchUp(r.Context())
	if err != nil {
		d.cfg.Log("%v", err)
	}
	back, err := url.Parse(localPath(r.PostFormValue("back")))
	if err != nil {
		back = &url.URL{Path: "/"}
	}
	q := back.Query()
	q.Set("fired", strconv.Itoa(fired))
	http.Redirect(w, r, withQuery(back.Path, q), http.StatusSeeOther)
}

// localPath keeps a path to come back to on this site: one starting with
// a single slash, else the queue.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}

func (d *Desk) serveLang(w http.ResponseWriter, r *http.Request) {
	v := "zh"
	if r.URL.Query().Get("to") == "en" {
		v = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: v, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("back")), http.StatusSeeOther)
}
