using static DurableWorkflows.GoTemplates.Tests.GoTemplateTestData;

namespace DurableWorkflows.GoTemplates.Tests;

/// <summary>The language: every construct renders as Go's text/template renders it, and fails where Go fails.</summary>
public class GoTemplateLanguageTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("{{.name}}", "world")]
    [InlineData("{{ .name }}", "world")]
    [InlineData("{{name}}", "world")]
    [InlineData("{{ workflowid }}", "wf-123")]
    [InlineData("a {{.device_1}} b", "a 3c:ec:ef:4c:4f:54 b")]
    [InlineData("cat <<EOF `x` <MIRROR_HOST_IP> } { }} {", "cat <<EOF `x` <MIRROR_HOST_IP> } { }} {")]
    [InlineData("{{.nested.inner.leaf}}", "deep")]
    [InlineData("{{$.name}}", "world")]
    [InlineData("{{.list}}", "[a b c]")]
    [InlineData("{{.nested.inner.list}}", "[x y]")]
    [InlineData("{{.map}}", "map[a:1 b:2 c:3]")]
    [InlineData("{{.nilvalue}}", "<no value>")]
    [InlineData("{{.count}}", "3")]
    [InlineData("{{.pi}}", "3.5")]
    [InlineData("{{.yes}}", "true")]
    [InlineData("{{.}}", "map[count:3 device_1:3c:ec:ef:4c:4f:54 empty: emptylist:[] list:[a b c] map:map[a:1 b:2 c:3] name:world nested:map[inner:map[leaf:deep list:[x y]]] nilvalue:<nil> no:false nums:[3 1 2] pi:3.5 workflowid:wf-123 yes:true zero:0]")]
    public void Render_FieldsAndPrinting_PrintLikeGo(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{1}}", "1")]
    [InlineData("{{-5}}", "-5")]
    [InlineData("{{+7}}", "7")]
    [InlineData("{{1.5}}", "1.5")]
    [InlineData("{{1e3}}", "1000")]
    [InlineData("{{1e6}}", "1e+06")]
    [InlineData("{{0.000001}}", "1e-06")]
    [InlineData("{{0x1F}}", "31")]
    [InlineData("{{0o17}}", "15")]
    [InlineData("{{017}}", "15")]
    [InlineData("{{0b101}}", "5")]
    [InlineData("{{1_000}}", "1000")]
    [InlineData("{{'a'}}", "97")]
    [InlineData("{{'\\n'}}", "10")]
    [InlineData("{{true}} {{false}}", "true false")]
    [InlineData("{{\"tab\\there\"}}", "tab\there")]
    [InlineData("{{\"\\u00e9\\x41\\101\"}}", "éAA")]
    [InlineData("{{`raw \\n \"q\"`}}", "raw \\n \"q\"")]
    [InlineData("{{\"{{\"}}", "{{")]
    [InlineData("{{\"}}\"}}", "}}")]
    public void Render_Literals_EvaluateAsGoConstants(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{/* a comment */}}x", "x")]
    [InlineData("a{{/* multi\nline */}}b", "ab")]
    [InlineData("a  {{- .name -}}  b", "aworldb")]
    [InlineData("a\n  {{- /* c */ -}}\n  b", "ab")]
    [InlineData("x\n\n{{- .name}}", "xworld")]
    [InlineData("{{.name -}}\n\n  x", "worldx")]
    [InlineData("{{-3}}", "-3")]
    [InlineData("{{3 -}} 4", "34")]
    [InlineData("a \r\n{{- .name -}}\r\n b", "aworldb")]
    [InlineData("{{ index\n    .list\n    0 }}", "a")]
    public void Render_CommentsTrimMarkersAndNewlines_BehaveAsGo(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{.name | upper}}", "WORLD")]
    [InlineData("{{.name | printf \"%s!\"}}", "world!")]
    [InlineData("{{\"a\" | printf \"%s-%s\" \"b\"}}", "b-a")]
    [InlineData("{{.name | upper | quote}}", "\"WORLD\"")]
    [InlineData("{{(index .list 1)}}", "b")]
    [InlineData("{{(index .nested \"inner\").leaf}}", "deep")]
    [InlineData("{{len .list | printf \"%d items\"}}", "3 items")]
    [InlineData("{{printf \"%s-%s\" (upper .name) (index .list 0)}}", "WORLD-a")]
    [InlineData("{{(.nested).inner.leaf}}", "deep")]
    public void Render_PipelinesAndParentheses_PassValueAsLastArgument(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{if .yes}}Y{{else}}N{{end}}", "Y")]
    [InlineData("{{if .no}}Y{{else}}N{{end}}", "N")]
    [InlineData("{{if .empty}}Y{{else if .name}}E{{else}}N{{end}}", "E")]
    [InlineData("{{if .empty}}Y{{else if .zero}}E{{else}}N{{end}}", "N")]
    [InlineData("{{if .zero}}Y{{end}}", "")]
    [InlineData("{{if .emptylist}}Y{{else}}N{{end}}", "N")]
    [InlineData("{{if .list}}Y{{else}}N{{end}}", "Y")]
    [InlineData("{{if .nilvalue}}Y{{else}}N{{end}}", "N")]
    [InlineData("{{if .map}}Y{{end}}", "Y")]
    [InlineData("{{if .pi}}Y{{end}}", "Y")]
    [InlineData("{{if and .yes .name}}Y{{end}}", "Y")]
    [InlineData("{{if or .no .empty}}Y{{else}}N{{end}}", "N")]
    [InlineData("{{and 1 0 \"x\"}}", "0")]
    [InlineData("{{and 1 2}}", "2")]
    [InlineData("{{or 0 \"\" \"z\"}}", "z")]
    [InlineData("{{or 0 \"\"}}", "")]
    [InlineData("{{and .no .missing}}", "false")]
    [InlineData("{{or .yes .missing}}", "true")]
    [InlineData("{{.yes | and 1}}", "true")]
    [InlineData("{{not .yes}} {{not .empty}}", "false true")]
    [InlineData("{{if eq .name \"world\"}}Y{{end}}", "Y")]
    [InlineData("{{if not (eq .name \"x\")}}Y{{end}}", "Y")]
    public void Render_IfElseAndLogic_FollowGoTruth(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{eq .count 3}}", "true")]
    [InlineData("{{eq .name \"a\" \"world\"}}", "true")]
    [InlineData("{{eq .name \"a\" \"b\"}}", "false")]
    [InlineData("{{ne 1 2}}", "true")]
    [InlineData("{{lt 1 2}} {{lt 2 1}}", "true false")]
    [InlineData("{{le 2 2}}", "true")]
    [InlineData("{{gt \"b\" \"a\"}}", "true")]
    [InlineData("{{ge 1.5 2.5}}", "false")]
    [InlineData("{{eq .nilvalue \"x\"}}", "false")]
    [InlineData("{{eq (index \"a\" 0) 97}}", "true")]
    [InlineData("{{lt (index \"a\" 0) 98}}", "true")]
    [InlineData("{{eq .yes true}}", "true")]
    public void Render_Comparisons_UseGoBasicKinds(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{with .nested.inner}}{{.leaf}}{{end}}", "deep")]
    [InlineData("{{with .empty}}Y{{else}}N{{end}}", "N")]
    [InlineData("{{with $x := .name}}{{$x}}{{.}}{{end}}", "worldworld")]
    [InlineData("{{with .empty}}A{{else with .name}}{{.}}{{end}}", "world")]
    [InlineData("{{with .list}}{{index . 2}}{{end}}", "c")]
    public void Render_With_SetsDot(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{range .list}}{{.}},{{end}}", "a,b,c,")]
    [InlineData("{{range $i, $v := .list}}{{$i}}={{$v}} {{end}}", "0=a 1=b 2=c ")]
    [InlineData("{{range $k, $v := .map}}{{$k}}{{$v}}{{end}}", "a1b2c3")]
    [InlineData("{{range .map}}{{.}}{{end}}", "123")]
    [InlineData("{{range .emptylist}}x{{else}}none{{end}}", "none")]
    [InlineData("{{range .nilvalue}}x{{else}}nil{{end}}", "nil")]
    [InlineData("{{range $v := .nums}}{{$v}}{{end}}", "312")]
    [InlineData("{{range .list}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}", "a")]
    [InlineData("{{range .list}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}", "ac")]
    [InlineData("{{range 3}}{{.}}{{end}}", "012")]
    [InlineData("{{range .list}}{{$.name}}{{end}}", "worldworldworld")]
    [InlineData("{{range $i, $e := .list}}{{range $j, $f := $.nums}}{{if eq $i $j}}{{$e}}{{$f}}{{end}}{{end}}{{end}}", "a3b1c2")]
    [InlineData("{{range .nested}}{{.leaf}}{{end}}", "deep")]
    [InlineData("{{$n := 0}}{{range .list}}{{$n = .}}{{end}}{{$n}}", "c")]
    public void Render_Range_IteratesSlicesMapsInSortedOrderAndInts(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{$x := \"a\"}}{{$x}}", "a")]
    [InlineData("{{$x := \"a\"}}{{$x = \"b\"}}{{$x}}", "b")]
    [InlineData("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2")]
    [InlineData("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", "21")]
    [InlineData("{{$d := index .list 0}}{{$d | upper}}", "A")]
    [InlineData("{{$m := .nested}}{{$m.inner.leaf}}", "deep")]
    [InlineData("{{$}}", "map[count:3 device_1:3c:ec:ef:4c:4f:54 empty: emptylist:[] list:[a b c] map:map[a:1 b:2 c:3] name:world nested:map[inner:map[leaf:deep list:[x y]]] nilvalue:<nil> no:false nums:[3 1 2] pi:3.5 workflowid:wf-123 yes:true zero:0]")]
    public void Render_Variables_DeclareAssignAndScope(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{.missing}}", "missing variable \"missing\"", 1, 1)]
    [InlineData("line1\n  {{ .missing }}", "missing variable \"missing\"", 2, 3)]
    [InlineData("{{missing}}", "missing variable \"missing\"", 1, 1)]
    [InlineData("{{ $.missing }}", "missing variable \"missing\"", 1, 1)]
    [InlineData("{{.nested.nope}}", "map has no entry for key \"nope\"", 1, 1)]
    [InlineData("{{.name.field}}", "can't evaluate field field in type string", 1, 1)]
    [InlineData("{{.nilvalue.x}}", "nil pointer evaluating interface {}.x", 1, 1)]
    [InlineData("{{.name 1}}", "name is not a method but has arguments", 1, 1)]
    [InlineData("{{1 | .name}}", "name is not a method but has arguments", 1, 1)]
    [InlineData("{{nosuch 1}}", "function \"nosuch\" not defined", 1, 1)]
    [InlineData("{{nil}}", "nil is not a command", 1, 1)]
    [InlineData("{{\"x\" 1}}", "can't give argument to non-function", 1, 1)]
    [InlineData("{{range .name}}x{{end}}", "range can't iterate over world", 1, 1)]
    [InlineData("{{(1).x}}", "can't evaluate field x in type int", 1, 1)]
    [InlineData("{{range $i, $v := 3}}x{{end}}", "can't use 3 to iterate over more than one variable", 1, 1)]
    [InlineData("ok\n{{if .missing}}x{{end}}", "missing variable \"missing\"", 2, 1)]
    [InlineData("{{with .missing}}x{{end}}", "missing variable \"missing\"", 1, 1)]
    [InlineData("{{range .missing}}x{{end}}", "missing variable \"missing\"", 1, 1)]
    [InlineData("{{range .list}}\n  {{.x}}{{end}}", "can't evaluate field x in type string", 2, 3)]
    public void Render_ExecutionErrors_ArePositionedAtTheAction(string template, string message, int line, int column)
    {
        TemplateError error = RenderError(template);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Theory]
    [InlineData("{{if .yes}}x", "{{if}} has no matching {{end}}", 1, 1)]
    [InlineData("a\n {{range .list}}x{{else}}", "{{range}} has no matching {{end}}", 2, 2)]
    [InlineData("x\n{{.name", "unclosed action", 2, 1)]
    [InlineData("{{.name}} {{", "unclosed action", 1, 11)]
    [InlineData("{{end}}", "unexpected {{end}}", 1, 1)]
    [InlineData("{{else}}", "unexpected {{else}}", 1, 1)]
    [InlineData("{{$x}}", "undefined variable \"$x\"", 1, 1)]
    [InlineData("{{$x = 1}}", "undefined variable \"$x\"", 1, 1)]
    [InlineData("{{if true}}{{$x := 1}}{{end}}{{$x}}", "undefined variable \"$x\"", 1, 30)]
    [InlineData("{{\"abc}}", "unterminated quoted string", 1, 1)]
    [InlineData("{{`abc}}", "unterminated raw quoted string", 1, 1)]
    [InlineData("{{\"a\\qb\"}}", "malformed string literal", 1, 1)]
    [InlineData("x {{/* abc }}", "unclosed comment", 1, 3)]
    [InlineData("{{/* abc */ .name}}", "comment ends before closing delimiter", 1, 1)]
    [InlineData("{{break}}", "{{break}} outside {{range}}", 1, 1)]
    [InlineData("{{continue}}", "{{continue}} outside {{range}}", 1, 1)]
    [InlineData("{{.name | \"x\"}}", "non executable command in pipeline stage 2", 1, 1)]
    [InlineData("{{.name | }}", "missing command after \"|\"", 1, 1)]
    [InlineData("{{\"a\".x}}", "unexpected . after term", 1, 1)]
    [InlineData("a\n {{template \"x\"}}", "template \"x\" not defined", 2, 2)]
    [InlineData("{{if true}}{{define \"x\"}}{{end}}{{end}}", "definitions are at the top level", 1, 12)]
    [InlineData("{{define \"x\"}}a{{end}}\n{{define \"x\"}}b{{end}}", "multiple definition of template \"x\"", 2, 1)]
    [InlineData("{{block \"x\"}}a{{end}}", "missing value for block clause", 1, 1)]
    [InlineData("{{template 1}}", "unexpected \"1\" in template clause", 1, 1)]
    [InlineData("{{)}}", "unexpected right paren", 1, 1)]
    [InlineData("{{(.name}}", "unclosed left paren", 1, 1)]
    [InlineData("{{}}", "missing value for command", 1, 1)]
    [InlineData("{{if}}{{end}}", "missing value for if", 1, 1)]
    [InlineData("{{3x}}", "bad number syntax", 1, 1)]
    [InlineData("a {{-.name}}", "bad number syntax", 1, 3)]
    [InlineData("{{.name-}}", "bad character", 1, 1)]
    [InlineData("{{0x}}", "illegal number syntax", 1, 1)]
    [InlineData("{{99999999999999999999}}", "integer overflow", 1, 1)]
    [InlineData("{{'ab'}}", "malformed character constant", 1, 1)]
    [InlineData("{{.a:b}}", "expected :=", 1, 1)]
    [InlineData("{{.name#}}", "bad character", 1, 1)]
    [InlineData("{{if true}}a{{else}}b{{else}}c{{end}}", "expected {{end}}; found {{else}}", 1, 22)]
    [InlineData("{{$a, $b := .list}}", "too many declarations in command", 1, 1)]
    [InlineData("{{range $a, $b, $c := .list}}{{end}}", "too many declarations in range", 1, 1)]
    public void Render_ParseErrors_ArePositionedAndNeverThrow(string template, string message, int line, int column)
    {
        TemplateError error = RenderError(template);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(line, column), error.Location);
    }

    [Fact]
    public void Render_SeveralFailingActions_ReportsEveryError()
    {
        GoTemplate.Output result = Language.Render("{{.a}} {{.name}}\n  {{ upper .count }} {{b}}", Data());

        Assert.Null(result.Text);
        Assert.Equal(3, result.Errors.Count);
        Assert.Equal(new SourceLocation(1, 1), result.Errors[0].Location);
        Assert.Contains("\"a\"", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(2, 3), result.Errors[1].Location);
        Assert.Equal(new SourceLocation(2, 22), result.Errors[2].Location);
        Assert.Contains("\"b\"", result.Errors[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BareNameThatIsAFunction_CallsTheFunction()
    {
        var data = Data();
        data["upper"] = "the variable";

        // A function name wins over a variable of the same name; the variable stays reachable as .upper.
        Assert.Equal("the variable", Render("{{.upper}}", data));
        TemplateError error = RenderError("{{upper}}", data);
        Assert.Contains("wrong number of args for upper: want 1 got 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TextAroundActions_MapsBackToTheSource()
    {
        GoTemplate.Output result = Language.Render("ab{{.name}}cd", Data());

        Assert.Equal("abworldcd", result.Text);
        Assert.Equal(
            [new RenderSegment(0, 0, 2, true), new RenderSegment(2, 2, 5, false), new RenderSegment(7, 11, 2, true)],
            result.Segments);
    }
}
