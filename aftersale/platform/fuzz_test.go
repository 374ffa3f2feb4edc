package platform_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/aftersale"
	"github.com/shouhou/shouhou/aftersale/platform"
)

// fuzzDecoder checks one decoder on arbitrary input: it never panics; it
// either reads a record with an id, codes and an update time, whose
// placement is a placement or a refusal of this package, or refuses the
// input as invalid under one of this package's rules.
func fuzzDecoder(f *testing.F, p platform.Platform, seeds ...string) {
	for _, file := range seeds {
		body, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		raws, err := platform.Records(p, body)
		if err != nil {
			f.Fatal(err)
		}
		for _, r := range raws {
			f.Add([]byte(r))
		}
		f.Add(body)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"status":1e400}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := platform.Decode(p, b)
		if err != nil {
			refusedByThisPackage(t, err, aftersale.ErrInvalidInput)
			return
		}
		if r.ID == "" || r.Codes == nil || r.Updated.IsZero() || len(r.Raw) == 0 {
			t.Fatalf("decoded a record without an id, codes or an update time: %+v", r)
		}
		if _, err := r.Place(); err != nil {
			refusedByThisPackage(t, err, aftersale.ErrInvalidInput)
		}
		if _, err := platform.Import(r, platform.Options{}); err != nil {
			var e *aftersale.Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Rule, "platform.") {
				t.Fatalf("Import refused with %v, not a rule of this package", err)
			}
		}
	})
}

func refusedByThisPackage(t *testing.T, err error, code aftersale.Code) {
	t.Helper()
	var e *aftersale.Error
	if !errors.As(err, &e) || !errors.Is(err, code) || !strings.HasPrefix(e.Rule, "platform.") || e.Message == "" || e.Zh == "" {
		t.Fatalf("refused with %v, not a %s of this package with its words", err, code)
	}
}

func FuzzDecodeKuaishou(f *testing.F) {
	fuzzDecoder(f, platform.Kuaishou, "kuaishou_detail_return_in_transit.json")
}

func FuzzDecodeDouyin(f *testing.F) {
	fuzzDecoder(f, platform.Douyin, "douyin_detail_awaiting_return.json", "douyin_list_arbitration.json")
}

func FuzzDecodeTaobao(f *testing.F) {
	fuzzDecoder(f, platform.Taobao, "taobao_refund_get_wait_seller_agree.json")
}

func FuzzDecodePinduoduo(f *testing.F) {
	fuzzDecoder(f, platform.Pinduoduo, "pinduoduo_refund_list_increment.json")
}

// FuzzRecords checks that splitting a response body never panics and
// refuses what it cannot split under this package's rules.
func FuzzRecords(f *testing.F) {
	for _, file := range []string{"douyin_list_arbitration.json", "pinduoduo_refund_list_increment.json", "taobao_refund_get_wait_seller_agree.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(0), body)
	}
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		p := platform.Platforms()[int(which)%len(platform.Platforms())]
		if _, err := platform.Records(p, b); err != nil {
			refusedByThisPackage(t, err, aftersale.ErrInvalidInput)
		}
	})
}
