package main

import (
	"strings"
	"testing"
)

// langFiles are played for the language goldens: deadlines that pass, a
// request not eligible, a limit that names the line it counts, repeats,
// order facts, and a failure.
var langFiles = []string{
	"refund_sla_alert.json",
	"seven_day_0309_0000_denied.json",
	"resubmission_line_asked_four_times_denied.json",
	"idempotent_key_applied_once.json",
	"shipped_then_delivered_facts.json",
	"testdata/expects_the_wrong_state.json",
}

func TestLangGolden(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			status, stdout, stderr := runner(append([]string{"-lang", lang}, langFiles...)...)
			if status != 1 || stderr != "" {
				t.Errorf("status %d, stderr %q; want 1 for the failing file and nothing on stderr", status, stderr)
			}
			golden(t, "lang_"+lang+".txt", stdout)
		})
	}
}

func TestLangDefaultIsEnglish(t *testing.T) {
	_, english, _ := runner(append([]string{"-lang", "en"}, langFiles...)...)
	_, plain, _ := runner(langFiles...)
	if plain != english {
		t.Errorf("without -lang the runner prints, unlike -lang en:\n%s", plain)
	}
}

func TestLangUnknown(t *testing.T) {
	status, stdout, stderr := runner("-lang", "fr", passing)
	if status != 2 || stdout != "" || !strings.Contains(stderr, "-lang fr: the runner speaks en and zh") {
		t.Errorf("-lang fr: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}
}
