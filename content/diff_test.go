package content

import (
	"reflect"
	"testing"
)

func TestDiffLines(t *testing.T) {
	cases := []struct {
		name     string
		old, new string
		want     []DiffLine
	}{
		{"same", "a\nb\n", "a\nb\n", []DiffLine{{"=", "a"}, {"=", "b"}}},
		{"line changed", "a\nb\nc", "a\nB\nc", []DiffLine{{"=", "a"}, {"-", "b"}, {"+", "B"}, {"=", "c"}}},
		{"line added at the end", "a\n", "a\nb\n", []DiffLine{{"=", "a"}, {"+", "b"}}},
		{"from nothing", "", "x\ny", []DiffLine{{"+", "x"}, {"+", "y"}}},
		{"to nothing", "x", "", []DiffLine{{"-", "x"}}},
		{"CRLF is LF", "a\r\nb", "a\nB", []DiffLine{{"=", "a"}, {"-", "b"}, {"+", "B"}}},
		{"a changed word is a changed line", "the red seed\n", "the blue seed\n", []DiffLine{{"-", "the red seed"}, {"+", "the blue seed"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DiffLines(c.old, c.new); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}
