using System.Net;
using System.Text.RegularExpressions;
using Pipeline.Reporting;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Form;

/// <summary>
/// The reporters' form as the browser fetches it: the page, the ES modules it loads as they are (no bundler),
/// each with a JavaScript Content-Type, and nothing but the form's own assets served.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class FormPageTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private const string ResourcePrefix = "Pipeline.Reporting.Form.";

    [GeneratedRegex("""<script type="module" src="/api/form/([\w-]+\.js)"></script>""")]
    private static partial Regex ModuleScript();

    [GeneratedRegex("""^\s*import\s[^;]*?from\s+'\./([\w-]+\.js)';""", RegexOptions.Multiline)]
    private static partial Regex StaticImport();

    private static IEnumerable<string> EmbeddedFormResources() =>
        typeof(EmbeddedData).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => n[ResourcePrefix.Length..]);

    [Fact]
    public async Task Serves_the_page_and_every_module_it_imports_as_javascript_and_no_module_is_left_out()
    {
        using var http = Host.Client();
        var page = await http.GetAsync("api/form");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var entry = Assert.Single(ModuleScript().Matches(html)).Groups[1].Value;
        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);

        var reached = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>([entry]);
        while (pending.TryDequeue(out var module))
        {
            if (!reached.Add(module))
            {
                continue;
            }

            var response = await http.GetAsync("api/form/" + module);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{module}: {response.StatusCode}");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
            foreach (Match import in StaticImport().Matches(await response.Content.ReadAsStringAsync()))
            {
                pending.Enqueue(import.Groups[1].Value);
            }
        }

        // Every module the build embeds is one the page loads: none dead, none missing.
        Assert.Equal(
            EmbeddedFormResources().Where(n => n.EndsWith(".js", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            reached.Order(StringComparer.Ordinal));
        Assert.True(reached.Count > 5, "form.js is split into modules");
    }

    [Fact]
    public async Task Embeds_and_serves_only_the_forms_assets_never_source_code()
    {
        Assert.DoesNotContain(EmbeddedFormResources(), n => n.EndsWith(".cs", StringComparison.OrdinalIgnoreCase));
        using var http = Host.Client();
        foreach (var path in new[] { "api/form/FormAssets.cs", "api/form/..%2Findicators.json", "api/form/missing.js", "api/form/.hidden.js" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task Sends_a_content_security_policy_of_the_app_itself_that_forbids_framing()
    {
        using var http = Host.Client();
        foreach (var path in new[] { "api/form", "api/form/form.js", "api/form/form.css" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var policy = string.Join(",", response.Headers.GetValues("Content-Security-Policy"));
            var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
            Assert.Equal(["'none'"], directives["default-src"]);
            Assert.Equal(["'self'"], directives["script-src"]);
            Assert.Equal(["'self'"], directives["style-src"]);
            Assert.Equal(["'self'"], directives["connect-src"]);
            Assert.Equal(["'none'"], directives["frame-ancestors"]);
            Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        }

        // Nothing inline that the policy would refuse: no style attributes or <style>, no inline handlers.
        var html = await http.GetStringAsync("api/form");
        Assert.DoesNotContain("style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }
}
