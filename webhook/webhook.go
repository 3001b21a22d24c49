// Package webhook checks and decodes the notifications Intercom sends to a
// webhook endpoint.
//
// Intercom signs each delivery with HMAC-SHA1 over the exact request body,
// keyed with the app's client secret, and sends the result as
// "X-Hub-Signature: sha1=<hex>". Verify must therefore see the body bytes as
// received: re-encoding parsed JSON would change them and break the check.
package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// SignatureHeader is the request header that carries the signature.
const SignatureHeader = "X-Hub-Signature"

// signaturePrefix names the algorithm inside the header value.
const signaturePrefix = "sha1="

var (
	// ErrMissingSignature means the request carried no signature at all.
	ErrMissingSignature = errors.New("webhook: missing " + SignatureHeader + " header")
	// ErrBadSignature means the header is present but not of the form sha1=<40 hex digits>.
	ErrBadSignature = errors.New("webhook: malformed " + SignatureHeader + " header")
	// ErrSignatureMismatch means the signature is well formed but does not
	// match the body: the body was altered or signed with another secret.
	ErrSignatureMismatch = errors.New("webhook: signature does not match the body")
	// ErrMissingSecret means Verify was given an empty secret. An empty HMAC
	// key is one anybody can use, so it is refused rather than trusted.
	ErrMissingSecret = errors.New("webhook: empty client secret")
)

// Verify checks signatureHeader (the X-Hub-Signature value) against the raw
// body using the app's client secret. It returns nil only for a genuine
// signature; the errors can be told apart with errors.Is. The comparison
// runs in constant time so timing does not reveal the expected signature.
func Verify(secret []byte, body []byte, signatureHeader string) error {
	if len(secret) == 0 {
		return ErrMissingSecret
	}
	value := strings.TrimSpace(signatureHeader)
	if value == "" {
		return ErrMissingSignature
	}
	// The algorithm name is matched case-insensitively; hex.DecodeString
	// already accepts either case for the digits.
	if len(value) < len(signaturePrefix) || !strings.EqualFold(value[:len(signaturePrefix)], signaturePrefix) {
		return fmt.Errorf("%w: expected the %q prefix", ErrBadSignature, signaturePrefix)
	}
	got, err := hex.DecodeString(value[len(signaturePrefix):])
	if err != nil || len(got) != sha1.Size {
		return fmt.Errorf("%w: expected %d hex digits after the prefix", ErrBadSignature, 2*sha1.Size)
	}
	if !hmac.Equal(got, sign(secret, body)) {
		return ErrSignatureMismatch
	}
	return nil
}

// Sign returns the X-Hub-Signature value Intercom would send for body. It is
// meant for tests and local tools that need to produce signed deliveries.
func Sign(secret []byte, body []byte) string {
	return signaturePrefix + hex.EncodeToString(sign(secret, body))
}

func sign(secret, body []byte) []byte {
	mac := hmac.New(sha1.New, secret)
	mac.Write(body)
	return mac.Sum(nil)
}

// Notification is one webhook delivery. Data.Item holds the object the topic
// is about (a contact, a conversation, ...) undecoded, since its shape depends
// on the topic; use DecodeItem or json.Unmarshal to read it.
type Notification struct {
	Type             string // always "notification_event"
	AppID            string // the workspace that sent it
	ID               string // the notification id; redeliveries repeat it
	Topic            string // e.g. "contact.user.created"
	CreatedAt        time.Time
	DeliveryAttempts int
	FirstSentAt      time.Time
	Data             Data
}

// Data is the payload wrapper inside a Notification.
type Data struct {
	Type string // "notification_event_data"
	Item json.RawMessage
}

// DecodeItem unmarshals the notification's item into v.
func (n Notification) DecodeItem(v any) error {
	if len(n.Item()) == 0 {
		return errors.New("webhook: notification has no data item")
	}
	return json.Unmarshal(n.Data.Item, v)
}

// Item returns the raw JSON of the item the notification is about.
func (n Notification) Item() json.RawMessage { return n.Data.Item }

// envelope mirrors the JSON of a delivery; timestamps are Unix seconds.
type envelope struct {
	Type             string `json:"type"`
	AppID            string `json:"app_id"`
	ID               string `json:"id"`
	Topic            string `json:"topic"`
	CreatedAt        int64  `json:"created_at"`
	DeliveryAttempts int    `json:"delivery_attempts"`
	FirstSentAt      int64  `json:"first_sent_at"`
	Data             struct {
		Type string          `json:"type"`
		Item json.RawMessage `json:"item"`
	} `json:"data"`
}

// notificationType is the only envelope type Intercom delivers to webhooks.
const notificationType = "notification_event"

// Parse decodes a delivery body. It does not check the signature: call
// Verify first (Handler does both).
func Parse(body []byte) (Notification, error) {
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return Notification{}, fmt.Errorf("webhook: decoding notification: %w", err)
	}
	if e.Type != notificationType {
		return Notification{}, fmt.Errorf("webhook: type is %q, want %q", e.Type, notificationType)
	}
	if e.Topic == "" {
		return Notification{}, errors.New("webhook: notification has no topic")
	}
	item := e.Data.Item
	if string(item) == "null" {
		item = nil
	}
	return Notification{
		Type:             e.Type,
		AppID:            e.AppID,
		ID:               e.ID,
		Topic:            e.Topic,
		CreatedAt:        unixTime(e.CreatedAt),
		DeliveryAttempts: e.DeliveryAttempts,
		FirstSentAt:      unixTime(e.FirstSentAt),
		Data:             Data{Type: e.Data.Type, Item: item},
	}, nil
}

// unixTime maps an absent (zero) timestamp to the zero time, so IsZero
// reports it, and everything else to UTC for stable printing.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
