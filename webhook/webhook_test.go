package webhook

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The fixture is invented for these tests; only its shape follows Intercom's.
var (
	testSecret = []byte("whsec-fixture-3141")
	testBody   = []byte(`{"type":"notification_event","app_id":"qz81lm0p","id":"notif_3f6e0b5a",` +
		`"topic":"contact.user.created","delivery_attempts":2,"first_sent_at":1767225600,"created_at":1767225590,` +
		`"data":{"type":"notification_event_data","item":{"type":"contact","id":"c0ffee0001","email":"river@sample.test"}}}`)
)

func TestSignMatchesRFC2202Vector(t *testing.T) {
	// RFC 2202, HMAC-SHA1 test case 2: an answer computed outside this package.
	got := Sign([]byte("Jefe"), []byte("what do ya want for nothing?"))
	if want := "sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"; got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
}

func TestVerifyAcceptsGenuineSignatures(t *testing.T) {
	sig := Sign(testSecret, testBody)
	for _, header := range []string{sig, strings.ToUpper(sig), "  " + sig + " "} {
		if err := Verify(testSecret, testBody, header); err != nil {
			t.Errorf("Verify(%q) = %v", header, err)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	good := Sign(testSecret, testBody)
	tampered := []byte(strings.Replace(string(testBody), "river@", "rivet@", 1))
	cases := []struct {
		name   string
		secret []byte
		body   []byte
		header string
		want   error
	}{
		{"tampered body", testSecret, tampered, good, ErrSignatureMismatch},
		{"wrong secret", []byte("another-secret"), testBody, good, ErrSignatureMismatch},
		{"body re-encoded with extra space", testSecret, append([]byte(" "), testBody...), good, ErrSignatureMismatch},
		{"missing header", testSecret, testBody, "", ErrMissingSignature},
		{"blank header", testSecret, testBody, "   ", ErrMissingSignature},
		{"no prefix", testSecret, testBody, strings.TrimPrefix(good, "sha1="), ErrBadSignature},
		{"other algorithm", testSecret, testBody, "sha256=" + strings.TrimPrefix(good, "sha1="), ErrBadSignature},
		{"not hex", testSecret, testBody, "sha1=" + strings.Repeat("zz", 20), ErrBadSignature},
		{"too short", testSecret, testBody, good[:len(good)-2], ErrBadSignature},
		{"prefix only", testSecret, testBody, "sha1=", ErrBadSignature},
		{"empty secret", nil, testBody, good, ErrMissingSecret},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.secret, tc.body, tc.header)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			if strings.Contains(err.Error(), string(testSecret)) {
				t.Fatalf("error text reveals the secret: %v", err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	n, err := Parse(testBody)
	if err != nil {
		t.Fatal(err)
	}
	if n.Type != "notification_event" || n.AppID != "qz81lm0p" || n.ID != "notif_3f6e0b5a" ||
		n.Topic != "contact.user.created" || n.DeliveryAttempts != 2 {
		t.Fatalf("parsed %+v", n)
	}
	if !n.CreatedAt.Equal(time.Unix(1767225590, 0)) || !n.FirstSentAt.Equal(time.Unix(1767225600, 0)) {
		t.Fatalf("times %v / %v", n.CreatedAt, n.FirstSentAt)
	}
	if n.Data.Type != "notification_event_data" {
		t.Fatalf("data type %q", n.Data.Type)
	}
	var item struct{ Type, ID, Email string }
	if err := n.DecodeItem(&item); err != nil || item.Email != "river@sample.test" || item.Type != "contact" {
		t.Fatalf("item %+v, err %v", item, err)
	}

	bare, err := Parse([]byte(`{"type":"notification_event","topic":"ping","data":{"item":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !bare.CreatedAt.IsZero() || !bare.FirstSentAt.IsZero() || bare.Item() != nil {
		t.Fatalf("absent fields should stay zero: %+v", bare)
	}
	if err := bare.DecodeItem(&item); err == nil {
		t.Fatal("DecodeItem on an empty item should fail")
	}

	for _, bad := range []string{
		``, `{`, `[]`,
		`{"type":"conversation","topic":"x"}`,
		`{"type":"notification_event"}`,
		`{"type":"notification_event","topic":"x","created_at":"yesterday"}`,
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}
