package main

import (
	"fmt"
	"go/token"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// Request body names. oapi-codegen names a body written inline in an
// operation <Op>JSONBody and the body argument <Op>JSONRequestBody; a body
// that is a $ref keeps its schema's name. Users write the body type on
// every call, so the typed surface wants one rule a reader can guess: the
// schema's own name, or <Op>Request for a body written inline. Giving
// oapi-codegen the inline body as a component schema named after the
// operation gets exactly that, with no rewriting of its output.
//
// In some versions an inline body extends a component schema that already
// has the name <Op>Request (createTicket since 2.13 is create_ticket_request
// plus one member; the version before took create_ticket_request itself).
// The body keeps the name, so the type in the signature is the same across
// such a change, and the extended schema, which no signature uses then,
// becomes <Name>Base.

// inlineBodyKeySuffix ends the component key given to a hoisted body:
// oapi-codegen turns "createTicket" + "Request" into CreateTicketRequest,
// with the same normalisation that turns "createTicket" into the
// operation's Go name CreateTicket (buildGlue checks that they agree).
const inlineBodyKeySuffix = "Request"

// hoistedBody is one inline body moved to the components.
type hoistedBody struct {
	op, key string // "POST /path" and the component key
}

// hoistInlineBodies moves every JSON request body schema written inline in
// an operation to components/schemas under <operationId>Request and makes
// the operation refer to it. It returns the hoisted keys by "METHOD /path".
func hoistInlineBodies(root map[string]any) (map[string]string, error) {
	components := asMapOrNew(root, "components")
	schemas := asMapOrNew(components, "schemas")
	goNames := map[string]string{} // Go name → component key
	for key, s := range schemas {
		goNames[schemaGoName(key, s)] = key
	}
	var hoist []hoistedBody
	bodies := map[string]map[string]any{} // "METHOD /path" → the media object
	paths, _ := root["paths"].(map[string]any)
	for _, p := range sortedKeysOf(paths) {
		item, _ := paths[p].(map[string]any)
		for _, m := range sortedKeysOf(item) {
			op, _ := item[m].(map[string]any)
			opID, _ := op["operationId"].(string)
			if opID == "" {
				// oapi-codegen's name for it (generateDefaultOperationID).
				opID = m
				for _, part := range strings.Split(p, "/") {
					if part != "" {
						opID += "-" + part
					}
				}
			}
			rb, _ := op["requestBody"].(map[string]any)
			content, _ := rb["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			s, _ := media["schema"].(map[string]any)
			if s == nil {
				continue
			}
			if _, isRef := s["$ref"]; isRef {
				continue
			}
			key := opID + inlineBodyKeySuffix
			if strings.Contains(opID, "-") {
				key = opID + "-" + inlineBodyKeySuffix
			}
			if _, taken := schemas[key]; taken {
				return nil, fmt.Errorf("%s: cannot name its inline body: component schema %q exists", opID, key)
			}
			hoist = append(hoist, hoistedBody{strings.ToUpper(m) + " " + p, key})
			bodies[strings.ToUpper(m)+" "+p] = media
		}
	}
	out := map[string]string{}
	for _, h := range hoist {
		name := goTypeName(h.key)
		if other, ok := goNames[name]; ok {
			s, _ := schemas[other].(map[string]any)
			if _, named := s["x-go-name"]; named {
				return nil, fmt.Errorf("%s: its inline body and component schema %q (renamed by x-go-name) would share a Go name", h.op, other)
			}
			base := schemaGoName(other, s) + "Base"
			if _, taken := goNames[base]; taken {
				return nil, fmt.Errorf("%s: its inline body takes the Go name of component schema %q, whose other name %s is taken too", h.op, other, base)
			}
			s["x-go-name"] = base
			goNames[name+"Base"] = other
		}
		goNames[name] = h.key
		media := bodies[h.op]
		schemas[h.key] = media["schema"]
		media["schema"] = map[string]any{"$ref": "#/components/schemas/" + h.key}
		out[h.op] = h.key
	}
	return out, nil
}

// schemaGoName is the Go name oapi-codegen gives a component schema.
func schemaGoName(key string, s any) string {
	if m, ok := s.(map[string]any); ok {
		if n, ok := m["x-go-name"].(string); ok {
			return n
		}
	}
	return goTypeName(key)
}

func asMapOrNew(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

// bodyType is the Go type of an operation's JSON body in typed signatures:
// its schema's own name. hoisted tells which operations had an inline body
// (hoistInlineBodies), whose type must then be <Op>Request.
func bodyType(op *codegen.OperationDefinition, b *codegen.RequestBodyDefinition, hoisted map[string]string) (string, error) {
	name := b.Schema.TypeDecl()
	if !token.IsIdentifier(name) {
		return "", fmt.Errorf("%s: its JSON body's type %q is not a named type", op.OperationId, name)
	}
	if _, ok := hoisted[strings.ToUpper(op.Method)+" "+op.Path]; ok && name != op.OperationId+inlineBodyKeySuffix {
		return "", fmt.Errorf("%s: its inline body is named %s, not %s%s", op.OperationId, name, op.OperationId, inlineBodyKeySuffix)
	}
	return name, nil
}
