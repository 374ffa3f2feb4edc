package desk

import (
	"embed"
	"github.com/shouhou/shouhou/aftersale"
	"html/template"
	"io/fs"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var embedded embed.FS

// assetFS is the style sheet and the script the pages load: embedded,
// so the desk needs no network and no build step.
var assetFS, _ = fs.Sub(embedded, "assets")

type pages struct{ *template.Template }

func parsePages() (*pages, error) {
	t, err := template.New("").Funcs(template.FuncMap{
		"ms":        func(t time.Time) int64 { return t.UnixMilli() },
		"rfc":       func(t time.Time) string { return t.Format(time.RFC3339) },
		"casePath":  casePath,
		"countdown": func(l Lang, at, now time.Time) countdown { return countdown{l, at, now} },
		"text":      func(zh, en string) Text { return Text{zh, en} },
		"flags":     flagTexts,
		"inc":       func(n int) int { return n + 1 },
		"dec":       func(n int) int { return n - 1 },
	}).ParseFS(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	return &pages{t}, nil
}

// countdown is what the countdown template shows: the time left until At,
// seen at Now.
type countdown struct {
	L       Lang
	At, Now time.Time
}

// flagTexts names an order's flags.
func flagTexts(f aftersale.Flags) []Text {
	var out []Text
	for _, x := range []struct {
		flag aftersale.Flags
		text Text
	}{
		{aftersale.FlagFreightInsurance, Text{"运费险", "freight insurance"}},
		{aftersale.FlagFastRefund, Text{"极速退款", "fast refund"}},
		{aftersale.FlagNoReasonWaived, Text{"买家已确认不支持七天无理由", "buyer waived no-reason return"}},
	} {
		if f.Has(x.flag) {
			out = append(out, x.text)
		}
	}
	return out
}
