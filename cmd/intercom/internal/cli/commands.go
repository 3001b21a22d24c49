package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/apipin/intercom/cmd/intercom/internal/ops"
)

// groupCommand is one tag: a command per operation beneath it.
func groupCommand(ctx context.Context, v *ops.Version, group string, o *options, env *Env) *cobra.Command {
	g := &cobra.Command{
		Use:     group,
		Short:   groupShort(v, group),
		GroupID: "api",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q for \"intercom %s\" in Intercom-Version %s; see `intercom %s --help`", args[0], group, v.Name, group)
			}
			return cmd.Help()
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	for i := range v.Ops {
		if v.Ops[i].Group == group {
			g.AddCommand(opCommand(ctx, v, &v.Ops[i], o, env))
		}
	}
	return g
}

func groupShort(v *ops.Version, group string) string {
	n, tag := 0, ""
	for _, op := range v.Ops {
		if op.Group == group {
			n++
			tag = op.Tag
		}
	}
	if tag == "" {
		tag = "(untagged)"
	}
	return fmt.Sprintf("%s: %d operation(s)", tag, n)
}

// opCommand is one operation.
func opCommand(ctx context.Context, v *ops.Version, op *ops.Op, o *options, env *Env) *cobra.Command {
	var params []string
	var body, contentType string
	var all bool
	use := op.Command
	for _, p := range op.PathParams() {
		use += " <" + p.Name + ">"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: op.Method + " " + op.Path,
		Long:  opHelp(v, op),
		Args:  cobra.ArbitraryArgs, // checked against the path by buildRequest, with a clearer message
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := buildRequest(op, args, params, body, env.Stdin)
			if err != nil {
				return err
			}
			if contentType != "" {
				r.header.Set("Content-Type", contentType)
			}
			return execute(cmd.Context(), o, env, v, r, all)
		},
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	f := cmd.Flags()
	if len(op.OptionParams()) > 0 {
		f.StringArrayVarP(&params, "param", "p", nil, "a query or header parameter, name=value (repeat for arrays)")
		_ = cmd.RegisterFlagCompletionFunc("param", completeParam(op))
	}
	if op.Body != nil {
		f.StringVar(&body, "body", "", "request body: @file, - for standard input, or the JSON itself")
		f.StringVar(&contentType, "content-type", "", "send the body with this Content-Type instead of "+op.Body.ContentType)
	}
	if op.Paging != nil {
		f.BoolVar(&all, "all", false, "walk every page and write each item as one JSON line (NDJSON)")
	}
	return cmd
}

// opHelp is the operation's facts: method and path, operationId and tag,
// arguments, parameters, body and paging. The descriptions' prose is not
// carried (see https://developers.intercom.com for it).
func opHelp(v *ops.Version, op *ops.Op) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\noperationId %s, tag %s, Intercom-Version %s\n", op.Method, op.Path, orNone(op.ID), orNone(op.Tag), v.Name)
	if pp := op.PathParams(); len(pp) > 0 {
		b.WriteString("\nArguments:\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, p := range pp {
			fmt.Fprintf(tw, "  <%s>\t%s\n", p.Name, paramFacts(p))
		}
		tw.Flush()
	}
	if qp := op.OptionParams(); len(qp) > 0 {
		b.WriteString("\nParameters (--param name=value):\n")
		tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
		for _, p := range qp {
			fmt.Fprintf(tw, "  %s\t%s\n", p.Name, paramFacts(p))
		}
		tw.Flush()
	}
	if op.Body != nil {
		req := "optional"
		if op.Body.Required {
			req = "required"
		}
		fmt.Fprintf(&b, "\nBody (--body @file|-|json): %s, %s, %s\n", orNone(op.Body.Schema), op.Body.ContentType, req)
	}
	if op.Paging != nil {
		fmt.Fprintf(&b, "\nPaging: %s, items in %q; --all writes every item as NDJSON\n", op.Paging.Style, op.Paging.Items)
	}
	if op.Accept != "application/json" {
		fmt.Fprintf(&b, "\nAnswers with %s\n", op.Accept)
	}
	return strings.TrimRight(b.String(), "\n")
}

func paramFacts(p ops.Param) string {
	parts := []string{p.In, typeName(p)}
	if p.Required {
		parts = append(parts, "required")
	}
	s := strings.Join(parts, ", ")
	if len(p.Enum) > 0 {
		s += "; one of " + strings.Join(p.Enum, " ")
	}
	return s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// opsCommand lists the version's operations.
func opsCommand(v *ops.Version) *cobra.Command {
	return &cobra.Command{
		Use:   "ops",
		Short: "List the operations of the Intercom-Version (--version)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, op := range v.Ops {
				line := fmt.Sprintf("%s %s\t%s\t%s", op.Group, op.Command, op.Method, op.Path)
				if op.Paging != nil {
					line += "\tpages: " + op.Paging.Style
				}
				fmt.Fprintln(tw, line)
			}
			return tw.Flush()
		},
	}
}

// versionsCommand lists the pinned versions.
func versionsCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "versions",
		Short: "List the Intercom-Versions this command knows",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			latest := ops.Latest()
			shipped := map[string]bool{}
			for _, s := range shippedVersions() {
				shipped[s] = true
			}
			for _, v := range ops.Versions() {
				line := fmt.Sprintf("%s\t%d operations", v.Name, len(v.Ops))
				if v.Name == latest.Name {
					line += "\t(default)"
				}
				if !shipped[v.Name] {
					line += "\t(no library package)"
				}
				fmt.Fprintln(cmd.OutOrStdout(), line)
			}
			return nil
		},
	}
}

// completeParam completes --param: the names, then an enum's values.
func completeParam(op *ops.Op) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		name, _, hasValue := strings.Cut(toComplete, "=")
		var out []string
		for _, p := range op.OptionParams() {
			switch {
			case !hasValue:
				out = append(out, p.Name+"=\t"+paramFacts(p))
			case p.Name == name:
				for _, e := range p.Enum {
					out = append(out, p.Name+"="+e)
				}
				if p.Type == "boolean" || p.Items == "boolean" {
					out = append(out, p.Name+"=true", p.Name+"=false")
				}
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}
