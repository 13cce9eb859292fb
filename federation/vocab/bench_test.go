package vocab

import "testing"

func BenchmarkParseNote(b *testing.B) {
	data := loadFixture(b, "mastodon/objects/note_1.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalPerson(b *testing.B) {
	p := person("Person")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
}
