package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/shouhou/shouhou/aftersale"
)

// Handler serves the API; bodies are JSON, in and out. Reads take no lock:
// each decodes its own Order, and a save replaces the file whole.
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("PUT /orders/{id}", api(http.StatusCreated, h.putOrder))
	mux.Handle("GET /orders/{id}", api(http.StatusOK, func(r *http.Request) (any, error) {
		return h.load(r.PathValue("id"))
	}))
	mux.Handle("POST /orders/{id}/commands", api(http.StatusOK, h.postCommand))
	mux.Handle("GET /orders/{id}/cases/{case}/next", api(http.StatusOK, h.getNext))
	mux.Handle("GET /due", api(http.StatusOK, h.getDue))
	mux.Handle("POST /sweep", api(http.StatusOK, func(r *http.Request) (any, error) {
		fired, err := h.Sweep(r.Context())
		return map[string]any{"fired": fired}, err
	}))
	return mux
}

// putOrder creates an order from its facts, aftersale.Order's JSON form.
func (h *Host) putOrder(r *http.Request) (any, error) {
	o := new(aftersale.Order)
	if err := decode(r, o); err != nil {
		return nil, err
	} else if o.ID != r.PathValue("id") {
		return nil, invalid("the order's id %q is not %q", o.ID, r.PathValue("id"))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, err := os.Stat(h.path("orders", o.ID)); err == nil {
		return nil, &aftersale.Error{Code: aftersale.ErrConflict, Message: "order " + o.ID + " exists"}
	}
	return o, save(h.path("orders", o.ID), o)
}

// postCommand applies a command, aftersale.Command's JSON form, now, and
// answers where the case went, what happens next and the effects.
func (h *Host) postCommand(r *http.Request) (any, error) {
	var cmd aftersale.Command
	if err := decode(r, &cmd); err != nil { // strict: an unknown field is invalid_input
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	o, err := h.load(r.PathValue("id"))
	var out aftersale.Outcome
	if err == nil {
		out, err = h.engine.ApplyAt(h.clock.Now(), o, cmd)
	}
	if err == nil && !out.Repeat {
		err = save(h.path("orders", o.ID), o)
	}
	if err != nil {
		return nil, err
	}
	h.deliver(r.Context(), o) // what fails, a sweep retries
	answer := map[string]any{"repeat": out.Repeat, "effects": out.Effects()}
	if c := out.Case; c != nil { // nil for an order fact: shipped, delivered
		answer["event"], answer["case"], answer["state"], answer["next"] = out.Event, c.ID(), c.State(), c.Next()
	}
	return answer, nil
}

// getNext answers what happens next to a case, and when, and what each
// party may do meanwhile.
func (h *Host) getNext(r *http.Request) (any, error) {
	o, err := h.load(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	c := o.Case(r.PathValue("case"))
	if c == nil {
		return nil, &aftersale.Error{Code: aftersale.ErrNotFound, Message: "order " + o.ID + " has no case " + r.PathValue("case")}
	}
	moves := map[aftersale.Actor][]aftersale.Move{}
	for _, a := range []aftersale.Actor{aftersale.ActorBuyer, aftersale.ActorMerchant, aftersale.ActorPlatform, aftersale.ActorSystem} {
		if m := o.Allowed(c.ID(), a); m != nil {
			moves[a] = m
		}
	}
	return map[string]any{"case": c.ID(), "state": c.State(), "next": c.Next(), "moves": moves}, nil
}

// getDue lists what falls due across all orders within ?within= (24h if
// not given), earliest first; a deadline past stays listed until a sweep.
func (h *Host) getDue(r *http.Request) (any, error) {
	within, err := time.ParseDuration(cmp.Or(r.URL.Query().Get("within"), "24h"))
	if err != nil || within <= 0 {
		return nil, invalid("within: want a positive duration such as 24h")
	}
	until, due := h.clock.Now().Add(within), []aftersale.Upcoming{}
	err = h.each(func(o *aftersale.Order) error {
		due = append(due, o.Upcoming(until)...)
		return nil
	})
	slices.SortStableFunc(due, func(a, b aftersale.Upcoming) int { return a.Deadline.At.Compare(b.Deadline.At) })
	return map[string]any{"until": until, "due": due}, err
}

// decode reads a JSON body of at most 1 MiB; anything wrong with it is
// invalid_input.
func decode(r *http.Request, v any) error {
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil && aftersale.CodeOf(err) == 0 {
		return invalid("%v", err)
	}
	return err
}

// invalid is an invalid_input refusal of the host's own.
func invalid(format string, args ...any) error {
	return &aftersale.Error{Code: aftersale.ErrInvalidInput, Message: fmt.Sprintf(format, args...)}
}

// status is the HTTP status of an error's code: the whole mapping.
func status(c aftersale.Code) int {
	switch c {
	case aftersale.ErrNotFound:
		return http.StatusNotFound
	case aftersale.ErrInvalidInput:
		return http.StatusBadRequest
	case aftersale.ErrNotEligible:
		return http.StatusUnprocessableEntity
	case aftersale.ErrNotPermitted, aftersale.ErrConflict, aftersale.ErrClockRegressed:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// api serves fn's answer with the status given, or its error with the
// status of its code: an *aftersale.Error as its JSON form, any other error
// (the store's, a stored file's) as code internal.
func api(st int, fn func(r *http.Request) (any, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer, err := fn(r)
		code := st
		if e := (*aftersale.Error)(nil); errors.As(err, &e) {
			code, answer = status(e.Code), e
		} else if err != nil {
			code = http.StatusInternalServerError
			answer = map[string]string{"code": "internal", "message": err.Error()}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(answer)
	})
}
