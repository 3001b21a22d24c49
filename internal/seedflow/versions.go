package seedflow

import (
	"context"
	"iter"

	"github.com/apipin/intercom"
	v2_11 "github.com/apipin/intercom/api/v2.11"
	v2_16 "github.com/apipin/intercom/api/v2.16"
	v2_7 "github.com/apipin/intercom/api/v2.7"
)

// Each adapter embeds the version's *Client, which already has BaseURL, CloseIdleConnections, Probe
// and LinkContacts with the facade's types; it adds the calls that take or
// return the version package's own types. Their text is the same in every
// version but for the package name: the seed flows need no per-version code
// for an API difference (one method shape), and the adapters exist only
// because Go cannot be generic over a package.

type clientV2_16 struct{ *v2_16.Client }

func newV2_16(opts ...intercom.Option) (Client, error) {
	c, err := v2_16.New(opts...)
	if err != nil {
		return nil, err
	}
	return clientV2_16{c}, nil
}

func (c clientV2_16) Version() string { return v2_16.APIVersion }

func (c clientV2_16) UpsertCompany(ctx context.Context, in CompanyInput) (Company, error) {
	return view[Company](c.CreateOrUpdateCompany(ctx, body[v2_16.CreateOrUpdateCompanyRequest](in), nil))
}

func (c clientV2_16) Attach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.AttachContactToACompany(ctx, contactID, v2_16.AttachContactToACompanyRequest{ID: companyID}, nil))
}

func (c clientV2_16) Detach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.DetachContactFromACompany(ctx, contactID, companyID, nil))
}

func (c clientV2_16) CompaniesOf(ctx context.Context, contactID string) iter.Seq2[Company, error] {
	return views[Company](c.ListCompaniesForAContactAll(ctx, contactID, nil))
}

func (c clientV2_16) Contacts(ctx context.Context) iter.Seq2[Contact, error] {
	return views[Contact](c.ListContactsAll(ctx, nil))
}

func (c clientV2_16) Companies(ctx context.Context) iter.Seq2[Company, error] {
	return views[Company](c.ListAllCompaniesAll(ctx, nil))
}

type clientV2_11 struct{ *v2_11.Client }

func newV2_11(opts ...intercom.Option) (Client, error) {
	c, err := v2_11.New(opts...)
	if err != nil {
		return nil, err
	}
	return clientV2_11{c}, nil
}

func (c clientV2_11) Version() string { return v2_11.APIVersion }

func (c clientV2_11) UpsertCompany(ctx context.Context, in CompanyInput) (Company, error) {
	return view[Company](c.CreateOrUpdateCompany(ctx, body[v2_11.CreateOrUpdateCompanyRequest](in), nil))
}

func (c clientV2_11) Attach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.AttachContactToACompany(ctx, contactID, v2_11.AttachContactToACompanyRequest{ID: companyID}, nil))
}

func (c clientV2_11) Detach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.DetachContactFromACompany(ctx, contactID, companyID, nil))
}

func (c clientV2_11) CompaniesOf(ctx context.Context, contactID string) iter.Seq2[Company, error] {
	return views[Company](c.ListCompaniesForAContactAll(ctx, contactID, nil))
}

func (c clientV2_11) Contacts(ctx context.Context) iter.Seq2[Contact, error] {
	return views[Contact](c.ListContactsAll(ctx, nil))
}

func (c clientV2_11) Companies(ctx context.Context) iter.Seq2[Company, error] {
	return views[Company](c.ListAllCompaniesAll(ctx, nil))
}

type clientV2_7 struct{ *v2_7.Client }

func newV2_7(opts ...intercom.Option) (Client, error) {
	c, err := v2_7.New(opts...)
	if err != nil {
		return nil, err
	}
	return clientV2_7{c}, nil
}

func (c clientV2_7) Version() string { return v2_7.APIVersion }

func (c clientV2_7) UpsertCompany(ctx context.Context, in CompanyInput) (Company, error) {
	return view[Company](c.CreateOrUpdateCompany(ctx, body[v2_7.CreateOrUpdateCompanyRequest](in), nil))
}

func (c clientV2_7) Attach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.AttachContactToACompany(ctx, contactID, v2_7.AttachContactToACompanyRequest{ID: companyID}, nil))
}

func (c clientV2_7) Detach(ctx context.Context, contactID, companyID string) (Company, error) {
	return view[Company](c.DetachContactFromACompany(ctx, contactID, companyID, nil))
}

func (c clientV2_7) CompaniesOf(ctx context.Context, contactID string) iter.Seq2[Company, error] {
	return views[Company](c.ListCompaniesForAContactAll(ctx, contactID, nil))
}

func (c clientV2_7) Contacts(ctx context.Context) iter.Seq2[Contact, error] {
	return views[Contact](c.ListContactsAll(ctx, nil))
}

func (c clientV2_7) Companies(ctx context.Context) iter.Seq2[Company, error] {
	return views[Company](c.ListAllCompaniesAll(ctx, nil))
}
