package filestore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/examples/desk/filestore"
	"github.com/shouhou/shouhou/policy"
)

var (
	zone = time.FixedZone("UTC+8", 8*3600)
	paid = time.Date(2026, 11, 20, 10, 0, 0, 0, zone)
)

func open(t *testing.T) (*filestore.Store, *aftersale.Engine) {
	t.Helper()
	engine, err := aftersale.New(aftersale.Config{Rules: policy.Default()})
	if err != nil {
		t.Fatal(err)
	}
	s, err := filestore.Open(t.TempDir(), engine)
	if err != nil {
		t.Fatal(err)
	}
	return s, engine
}

func order(id string) *aftersale.Order {
	return &aftersale.Order{ID: id, Amount: aftersale.Yuan(299), PaidAt: paid,
		ShippedAt: paid.Add(6 * time.Hour), DeliveredAt: paid.Add(48 * time.Hour)}
}

func request(kind aftersale.Kind) aftersale.Command {
	return aftersale.Command{Actor: aftersale.ActorBuyer, Action: aftersale.ActionRequest, Kind: kind, Reason: aftersale.ReasonNoReason}
}

func stored(t *testing.T, s *filestore.Store, id string) string {
	t.Helper()
	o, err := s.Load(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAppliedCommandsAreSavedAndRefusedOnesSaveNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	if err := s.Create(ctx, order("o-1")); err != nil {
		t.Fatal(err)
	}
	at := paid.Add(72 * time.Hour)
	o, out, err := s.Apply(ctx, "o-1", request(aftersale.KindReturnRefund), at)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), stored(t, s, "o-1")); diff != "" {
		t.Errorf("the order saved is not the one returned (-returned +stored):\n%s", diff)
	}
	before := stored(t, s, "o-1")
	_, _, err = s.Apply(ctx, "o-1", aftersale.Command{Case: out.Case.ID(), Actor: aftersale.ActorMerchant, Action: aftersale.ActionReject}, at.Add(time.Hour))
	if !errors.Is(err, aftersale.ErrInvalidInput) {
		t.Fatalf("reject without a note: %v, want invalid_input", err)
	}
	if diff := cmp.Diff(before, stored(t, s, "o-1")); diff != "" {
		t.Errorf("a refused command changed the file (-before +after):\n%s", diff)
	}
}

func TestAdvanceFiresWhatIsDueAndSavesIt(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	if err := s.Create(ctx, order("o-1"), order("o-2")); err != nil {
		t.Fatal(err)
	}
	at := paid.Add(72 * time.Hour)
	if _, _, err := s.Apply(ctx, "o-1", request(aftersale.KindReturnRefund), at); err != nil {
		t.Fatal(err)
	}
	fired, err := s.Advance(ctx, at.Add(48*time.Hour), []string{"o-1", "o-2"})
	if err != nil || fired != 1 {
		t.Fatalf("Advance: %d fired, %v; want the review timeout, once", fired, err)
	}
	o, err := s.Load(ctx, "o-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := o.Cases()[0].State(); got != aftersale.StateAwaitingReturn {
		t.Errorf("after the review timeout the case is in %s, want awaiting_return", got)
	}
	if fired, err := s.Advance(ctx, at.Add(48*time.Hour), []string{"o-1"}); err != nil || fired != 0 {
		t.Errorf("Advance again: %d fired, %v; want nothing", fired, err)
	}
}

func TestOrdersAreFoundByIDAndStayInTheFolder(t *testing.T) {
	ctx := context.Background()
	s, _ := open(t)
	if err := s.Create(ctx, order("../o/1"), order("o-2")); err != nil {
		t.Fatal(err)
	}
	err := s.Create(ctx, order("o-2"))
	if !errors.Is(err, aftersale.ErrConflict) {
		t.Errorf("creating o-2 again: %v, want conflict", err)
	}
	if _, err := s.Load(ctx, "o-3"); !errors.Is(err, aftersale.ErrNotFound) {
		t.Errorf("loading o-3: %v, want not_found", err)
	}
	names, err := os.ReadDir(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		got = append(got, n.Name())
	}
	if diff := cmp.Diff([]string{"..%2Fo%2F1.json", "o-2.json"}, got); diff != "" {
		t.Errorf("files in the folder (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(s.Dir()), "o")); err == nil {
		t.Errorf("an ID with ../ wrote outside the folder")
	}
	var ids []string
	if err := s.Each(ctx, func(o *aftersale.Order) error { ids = append(ids, o.ID); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"../o/1", "o-2"}, ids); diff != "" {
		t.Errorf("Each (-want +got):\n%s", diff)
	}
}
