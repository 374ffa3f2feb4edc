package main

import (
	"bytes"
	"fmt"
	"html"
	"os"

	"github.com/shouhou/shouhou/whatif"
)

// writeSVG writes two bar charts of before and after: compensation by payer
// (the refunds' total in the title: at a hundred times the compensation, it
// would flatten the bars) and cases by end state.
func writeSVG(path string, rep *whatif.Report) error {
	var money, states []whatif.Line
	var refunds whatif.Line
	for _, l := range rep.Lines {
		switch {
		case l.Section == whatif.SectionRefunds && l.Key == "total":
			refunds = l
		case l.Section == whatif.SectionCompensation:
			money = append(money, l)
		case l.Section == whatif.SectionStates:
			states = append(states, l)
		}
	}
	var b bytes.Buffer
	const width, barH, gap, left, chartW = 860, 10, 8, 190, 560
	y := 40
	height := 80 + (len(money)+len(states))*(2*barH+gap) + 80
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">`+"\n", width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="20" font-size="14">before: %s (grey) / after: %s (blue)</text>`+"\n", html.EscapeString(rep.Before), html.EscapeString(rep.After))
	chart := func(title string, lines []whatif.Line) {
		y += 20
		fmt.Fprintf(&b, `<text x="10" y="%d" font-weight="bold">%s</text>`+"\n", y, html.EscapeString(title))
		y += 10
		var top int64 = 1
		for _, l := range lines {
			top = max(top, l.Before, l.After)
		}
		for _, l := range lines {
			fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH+3, html.EscapeString(l.Key))
			for i, v := range []int64{l.Before, l.After} {
				w := int(float64(v) / float64(top) * chartW)
				fill := "#999"
				if i == 1 {
					fill = "#3b6fd4"
				}
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", left, y+i*barH, w, barH-1, fill)
				fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10">%s</text>`+"\n", left+w+4, y+i*barH+barH-1, label(v, l.Money))
			}
			y += 2*barH + gap
		}
	}
	chart(fmt.Sprintf("compensation by payer (yuan); refunds %s before, %s after", label(refunds.Before, true), label(refunds.After, true)), money)
	chart("cases by end state", states)
	b.WriteString("</svg>\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func label(v int64, money bool) string {
	if money {
		return fmt.Sprintf("%d.%02d", v/100, v%100)
	}
	return fmt.Sprint(v)
}
