package token

import "testing"

func TestBearerAndEqual(t *testing.T) {
	for _, tt := range []struct {
		header, want string
		ok           bool
	}{
		{"Bearer s3cret", "s3cret", true},
		{"bearer s3cret", "s3cret", true},
		{"BEARER  s3cret ", "s3cret", true},
		{"Basic s3cret", "", false},
		{"s3cret", "", false},
	} {
		if got, ok := Bearer(tt.header); got != tt.want || ok != tt.ok {
			t.Errorf("Bearer(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
	if !Equal("s3cret", "s3cret") || Equal("s3cre", "s3cret") || Equal("", "") || Equal("x", "") {
		t.Error("Equal: only the same non-empty secret matches")
	}
}
