using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Pipeline.Testing;

namespace Pipeline.BrowserTests;

/// <summary>
/// The officials' console in headless Chromium, at a desktop's 1280 px and a phone's 360 px: what a county official
/// does in the morning (who has reported, whom to call, a report phoned in, a township excused), a prefecture
/// official's rollup downloads, reporters' links with their QR sheet, enrolment once, revocation, and bad input.
/// The host's clock is pinned to 2026-11-27 12:00 in Asia/Shanghai; the board refreshes every 2 s here.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsoleTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private const string Today = "2026-11-27";
    private static readonly string[] CountyNames = ["合作市", "临潭县", "卓尼县", "舟曲县", "迭部县", "玛曲县", "碌曲县", "夏河县"];

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Pipeline:ConsoleRefreshSeconds"] = "2" };

    private string ConsoleUrl => new Uri(Host.BaseAddress, "api/console").ToString();

    private static Chromium Browser(int width, string language)
    {
        var browser = new Chromium(language);
        if (width != Chromium.PhoneWidth)
        {
            browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
            {
                ["width"] = width, ["height"] = 900, ["deviceScaleFactor"] = 1, ["mobile"] = false,
            });
        }

        return browser;
    }

    /// <summary>The console's sign-in page in a new browser, switched to English for "en" (it opens in Chinese).</summary>
    private Chromium OpenConsole(int width, string language)
    {
        var browser = Browser(width, language);
        browser.Driver.Navigate().GoToUrl(ConsoleUrl);
        if (language == "en")
        {
            browser.Visible("#lang-toggle").Click();
            browser.WaitFor(d => d.FindElement(By.Id("signin-button")).Text == "Sign in", "English");
        }

        return browser;
    }

    private static void SignIn(Chromium browser, string token)
    {
        browser.Visible("#token-input").SendKeys(token);
        browser.Find("#signin-button").Click();
        browser.Visible("#tabs");
    }

    private static void SignOut(Chromium browser)
    {
        browser.Find("#sign-out").Click();
        browser.Visible("#signin");
    }

    private static void Click(Chromium browser, IWebElement element)
    {
        browser.Script("arguments[0].scrollIntoView({block: 'center'});", element);
        element.Click();
    }

    private static string RowStatus(IWebDriver driver, string unit) =>
        driver.FindElement(By.CssSelector($"#board-units tr[data-unit='{unit}']")).GetDomAttribute("data-status") ?? "";

    /// <summary>A fresh folder that the browser's downloads go to.</summary>
    private static string DownloadFolder(Chromium browser)
    {
        var downloads = Path.Combine(Path.GetTempPath(), "console-downloads-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(downloads);
        browser.Driver.ExecuteCdpCommand("Browser.setDownloadBehavior", new Dictionary<string, object?> { ["behavior"] = "allow", ["downloadPath"] = downloads });
        return downloads;
    }

    /// <summary>Clicks the download button of a file of the day's rollup, found afresh by name: one found before a re-render of the list would be stale.</summary>
    private static void ClickRollupFile(Chromium browser, string file) =>
        browser.WaitFor(_ =>
        {
            Click(browser, browser.Find($"#rollups tr[data-date='{Today}'] button[data-file='{file}']"));
            return true;
        }, "a click on " + file);

    /// <summary>The files in the download folder once there are <paramref name="count"/>, none still being written.</summary>
    private static string[] Downloaded(Chromium browser, string downloads, int count)
    {
        browser.WaitFor(_ => Directory.GetFiles(downloads).Count(f => !f.EndsWith(".crdownload", StringComparison.Ordinal)) == count, $"{count} downloaded files");
        return Directory.GetFiles(downloads);
    }

    /// <summary>A report from the township's own reporter, as from the form.</summary>
    private async Task ReportAsync(string unit, string name, string phone, int returnees = 12)
    {
        using var client = Host.Client((await Host.IssueTokenAsync("reporter", unit)).Token);
        var report = Reports.WithReturnees(unit, returnees);
        report["reporter"] = new Dictionary<string, object?> { ["name"] = name, ["phone"] = phone };
        await client.SubmitAsync(report);
    }

    private async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void Shot(Chromium browser, string name, string language, int width)
    {
        var suffix = (language.StartsWith("en", StringComparison.Ordinal) ? "en" : "zh") + (width == Chromium.PhoneWidth ? "-phone" : "");
        // The whole page, not just the viewport, so that the screenshot shows every township.
        var height = Convert.ToInt32(browser.Script("return Math.min(4000, document.documentElement.scrollHeight);"));
        browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = width == Chromium.PhoneWidth,
        });
        browser.Script("window.scrollTo(0, 0);");
        Screenshots.Save(browser, $"console-{name}-{suffix}.png");
        browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = width == Chromium.PhoneWidth ? Chromium.PhoneHeight : 900, ["deviceScaleFactor"] = 1, ["mobile"] = width == Chromium.PhoneWidth,
        });
    }

    /// <summary>
    /// Chromium draws a scroll control in any box that overflows and may scroll: the tab bar scrolls sideways, so it must
    /// not overflow downwards (the tabs' underline sits on its bottom line), nor sideways where its tabs fit.
    /// </summary>
    [Theory]
    [InlineData(1366, 768, "zh-CN", false)]
    [InlineData(1366, 768, "en", false)]
    [InlineData(390, 844, "zh-CN", false)]
    [InlineData(390, 844, "en", true)]
    public void The_tab_bar_scrolls_only_sideways_and_only_where_its_tabs_do_not_fit(int width, int height, string language, bool overflows)
    {
        using var browser = new Chromium(language);
        browser.Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = width < 600,
        });
        browser.Driver.Navigate().GoToUrl(ConsoleUrl);
        if (language == "en")
        {
            browser.Visible("#lang-toggle").Click();
            browser.WaitFor(d => d.FindElement(By.Id("signin-button")).Text == "Sign in", "English");
        }

        SignIn(browser, Host.AdminToken);

        var box = ((IReadOnlyDictionary<string, object>)browser.Script(
            "const t = document.querySelector('#tabs'); return {sw: t.scrollWidth, cw: t.clientWidth, sh: t.scrollHeight, ch: t.clientHeight};")!)
            .ToDictionary(p => p.Key, p => Convert.ToInt32(p.Value));
        Assert.Equal(box["ch"], box["sh"]);
        if (overflows)
        {
            Assert.True(box["sw"] > box["cw"], $"the tabs should not fit: {box["sw"]} in {box["cw"]} px");
            Assert.True(Convert.ToInt32(browser.Script("const t = document.querySelector('#tabs'); t.scrollLeft = t.scrollWidth; return t.scrollLeft;")) > 0,
                "the tab bar should scroll sideways");
        }
        else
        {
            Assert.Equal(box["cw"], box["sw"]);
        }
    }

    [Theory]
    [InlineData(1280, "zh-CN", "623025")]
    [InlineData(1280, "en", "623023")]
    [InlineData(Chromium.PhoneWidth, "zh-CN", "623027")]
    public async Task A_county_official_sees_who_reported_calls_the_missing_enters_a_report_excuses_a_township_and_hands_out_links(
        int width, string language, string county)
    {
        var townships = (await JsonAsync(await Host.Client().GetAsync("api/units"))).GetProperty("children").EnumerateArray()
            .Single(c => c.GetProperty("code").GetString() == county).GetProperty("children").EnumerateArray()
            .Select(t => t.GetProperty("code").GetString()!).ToList();
        var (_, official) = await Host.IssueTokenAsync("official", county);
        var (_, prefecture) = await Host.IssueTokenAsync("official", "623000");
        string contactToken;
        using (var client = Host.Client(official))
        {
            var contact = await client.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = townships[5], contactName = "联系人甲", contactPhone = "13900001111" });
            contactToken = (await JsonAsync(contact)).GetProperty("token").GetString()!;
        }

        await ReportAsync(townships[0], "卓玛", "13800000001");
        await ReportAsync(townships[1], "扎西", "13800000002");
        await ReportAsync(townships[2], "才让", "13800000003");

        using var browser = OpenConsole(width, language);

        SignIn(browser, official);
        browser.WaitFor(d => d.FindElements(By.CssSelector("#board-units tr[data-unit]")).Count == townships.Count, "every township on the board");

        var rows = browser.Driver.FindElements(By.CssSelector("#board-units tr[data-unit]"));
        var statuses = rows.Select(r => r.GetDomAttribute("data-status")).ToList();
        Assert.Equal(townships.Count - 3, statuses.TakeWhile(s => s == "missing").Count());
        Assert.All(townships.Take(3), u => Assert.Equal("onTime", RowStatus(browser.Driver, u)));
        Assert.All(townships.Skip(3), u => Assert.Equal("missing", RowStatus(browser.Driver, u)));
        Assert.Contains("13900001111", browser.Find($"#board-units tr[data-unit='{townships[5]}']").GetDomProperty("textContent"), StringComparison.Ordinal);
        Assert.Contains("13800000001", browser.Find($"#board-units tr[data-unit='{townships[0]}']").GetDomProperty("textContent"), StringComparison.Ordinal);

        // A county official's page offers nothing of another county: no option, no name.
        var options = browser.Driver.FindElements(By.CssSelector("option")).Select(o => o.GetDomAttribute("value") ?? "").ToList();
        Assert.All(options, v => Assert.StartsWith(county, v, StringComparison.Ordinal));
        var page = (string)browser.Script("return document.body.textContent;")!;
        var own = CountyNames[Array.IndexOf(["623001", "623021", "623022", "623023", "623024", "623025", "623026", "623027"], county)];
        Assert.All(CountyNames.Where(n => n != own), n => Assert.DoesNotContain(n, page, StringComparison.Ordinal));

        // A fourth report appears after the next refresh, without touching the page.
        await ReportAsync(townships[3], "拉姆", "13800000004");
        browser.WaitFor(d => RowStatus(d, townships[3]) == "onTime", "the fourth report after a refresh");

        // A correction makes revision 2; the reports view shows both side by side, the change marked.
        await ReportAsync(townships[0], "卓玛", "13800000001", returnees: 15);
        browser.WaitFor(d => d.FindElement(By.CssSelector($"#board-units tr[data-unit='{townships[0]}'] td:nth-child(4)")).GetDomProperty("textContent") == "2", "revision 2");
        Shot(browser, "board", language, width);

        // A report phoned in, entered by the official.
        Click(browser, browser.Find($"button[data-enter='{townships[4]}']"));
        browser.Visible("#e-returnees");
        foreach (var (key, value) in new[] { ("returnees", "7"), ("fromEpidemicAreas", "2"), ("fromHubei", "0"), ("homeQuarantine", "2"), ("feverReferred", "0") })
        {
            browser.Find("#e-" + key).SendKeys(value);
        }

        browser.Find("#enter-reporter-name").SendKeys("电话报送");
        browser.Find("#enter-reporter-phone").SendKeys("13800000005");
        Click(browser, browser.Find("#enter-submit"));
        browser.WaitFor(d => RowStatus(d, townships[4]) == "onTime", "the phoned-in report on the board");

        // A township excused for the day.
        Click(browser, browser.Find($"button[data-exempt='{townships[6]}']"));
        browser.Visible("#exempt-reason").SendKeys("牧场转场 summer pastures");
        Click(browser, browser.Find("#exempt-submit"));
        browser.WaitFor(d => RowStatus(d, townships[6]) == "exempt", "the exempt township on the board");
        string Cell(int n) => browser.Find($"#board-counties tbody tr td:nth-child({n})").GetDomProperty("textContent")!;
        browser.WaitFor(_ => Cell(7) == "1", "one exempt township in the county's counts");
        Assert.Equal((townships.Count - 1, 5, townships.Count - 6), (int.Parse(Cell(2)), int.Parse(Cell(3)), int.Parse(Cell(6))));
        using (var client = Host.Client(official))
        {
            var revisions = await JsonAsync(await client.GetAsync($"api/reports/{Today}/{townships[4]}/revisions"));
            Assert.Equal("official", revisions[0].GetProperty("enteredBy").GetString());
        }

        // The day's revisions of one township, side by side.
        Click(browser, browser.Find($"#board-units tr[data-unit='{townships[0]}'] .actions button"));
        browser.Visible("#revisions");
        Assert.Equal(3, browser.Driver.FindElements(By.CssSelector("#revisions thead th")).Count);
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector("#revisions td.changed")));
        Shot(browser, "revisions", language, width);

        // Reporters' links: issue one for a township, with its QR code on the printable sheet.
        Click(browser, browser.Find(".tab[data-tab='tokens']"));
        browser.Visible("#issue-unit");
        browser.Script("const s = document.getElementById('issue-unit'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", townships[7]);
        browser.Find("#issue-name").SendKeys("新联系人");
        browser.Find("#issue-phone").SendKeys("13900002222");
        Click(browser, browser.Find("#issue-one"));
        var card = browser.Visible($".qr-card[data-scope='{townships[7]}']");
        Assert.StartsWith("data:image/png;base64,", card.FindElement(By.TagName("img")).GetDomAttribute("src"), StringComparison.Ordinal);
        var link = card.FindElement(By.CssSelector(".enrol-link")).GetDomAttribute("href")!;
        Assert.StartsWith(new Uri(Host.BaseAddress, "api/form#enrol=").ToString(), link, StringComparison.Ordinal);
        Click(browser, browser.Find("#issue-all"));
        browser.WaitFor(d => d.FindElements(By.CssSelector(".qr-card")).Count == townships.Count - 6, "the county's QR sheet: every township without a token");
        Shot(browser, "qr-sheet", language, width);

        // The township's reporter has the form open with that token; then the county revokes it.
        using var form = Browser(Chromium.PhoneWidth, "zh-CN");
        form.Driver.Navigate().GoToUrl(new Uri(Host.BaseAddress, "api/form").ToString());
        form.Visible("#token-input").SendKeys(contactToken);
        form.Find("#token-save").Click();
        form.Visible("#v-returnees");

        // The token list shows no token; revoking takes two clicks and stops the token.
        browser.WaitFor(d => d.FindElements(By.CssSelector($"#tokens tr[data-scope='{townships[5]}']")).Count == 1, "the token list");
        Assert.DoesNotContain("pt_", (string)browser.Script("return document.getElementById('tokens').textContent;")!, StringComparison.Ordinal);
        var revoke = browser.Find($"#tokens tr[data-scope='{townships[5]}'] button[data-revoke]");
        var revokedId = revoke.GetDomAttribute("data-revoke");
        Click(browser, revoke);
        Click(browser, browser.Find($"button[data-revoke='{revokedId}']"));
        browser.WaitFor(d => d.FindElements(By.CssSelector($"#tokens tr[data-token='{revokedId}']")).Count == 0, "the revoked token gone from the list");
        form.Driver.Navigate().Refresh();
        form.WaitFor(d => d.FindElement(By.TagName("body")).Text.Contains("令牌无效或已被撤销", StringComparison.Ordinal), "the form saying the token is no longer valid");

        // Every build makes the county's rollup too: the county official sees its own, and may not rebuild.
        using (var admin = Host.AdminClient())
        {
            (await admin.PostAsync($"api/rollups/{Today}", null)).EnsureSuccessStatusCode();
        }

        Click(browser, browser.Find(".tab[data-tab='rollups']"));
        browser.Visible($"#rollups tr[data-date='{Today}']");
        Assert.Equal(4, browser.Driver.FindElements(By.CssSelector($"#rollups tr[data-date='{Today}'] button[data-file]")).Count);
        Assert.Empty(browser.Driver.FindElements(By.XPath($"//tr[@data-date='{Today}']//button[not(@data-file)]")));

        // A prefecture official downloads every file of the day's rollup and sees the rebuild button.
        SignOut(browser);
        SignIn(browser, prefecture);
        var downloads = DownloadFolder(browser);
        Click(browser, browser.Find(".tab[data-tab='rollups']"));
        browser.Visible($"#rollups tr[data-date='{Today}']");
        var files = browser.WaitFor(d => d.FindElements(By.CssSelector($"#rollups tr[data-date='{Today}'] button[data-file]"))
            .Select(b => b.GetDomAttribute("data-file")).ToList() is { Count: 4 } names ? names : null, "the day's four files");
        foreach (var file in files!)
        {
            ClickRollupFile(browser, file!);
        }

        var saved = Downloaded(browser, downloads, 4);
        Assert.Equal(new[] { "json", "csv", "pdf", "xlsx" }.Order(), saved.Select(f => Path.GetExtension(f).TrimStart('.')).Order());
        Assert.All(saved, f => Assert.True(new FileInfo(f).Length > 0));
        Assert.NotEmpty(browser.Driver.FindElements(By.XPath($"//tr[@data-date='{Today}']//button[not(@data-file)]")));
        Shot(browser, "rollups", language, width);
        Directory.Delete(downloads, recursive: true);

        using var revokedClient = Host.Client(contactToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedClient.GetAsync("api/me")).StatusCode);
    }

    [Fact]
    public async Task An_enrolment_link_signs_in_one_fresh_browser_once_and_never_a_second()
    {
        using var admin = Host.AdminClient();
        var issued = await JsonAsync(await admin.PostAsJsonAsync("api/tokens", new { role = "official", scope = "623022", label = "卓尼县" }));
        var link = issued.GetProperty("link").GetString()!;
        Assert.StartsWith(ConsoleUrl + "#enrol=", link, StringComparison.Ordinal);

        using (var first = Browser(1280, "zh-CN"))
        {
            first.Driver.Navigate().GoToUrl(link);
            first.Visible("#tabs");
            first.WaitFor(d => d.FindElement(By.Id("who")).Text.Contains("卓尼县", StringComparison.Ordinal), "signed in as the county");
            Assert.Equal(ConsoleUrl, first.Driver.Url);
            Assert.NotNull(first.Script("return sessionStorage.getItem('console.token');"));
            Assert.Null(first.Script("return localStorage.getItem('console.token');"));
            first.Find("#sign-out").Click();
            first.Visible("#signin");
            Assert.Null(first.Script("return sessionStorage.getItem('console.token');"));
        }

        using var second = Browser(Chromium.PhoneWidth, "zh-CN");
        second.Driver.Navigate().GoToUrl(link);
        var error = second.Visible("#signin-error");
        second.WaitFor(_ => error.Text.Contains("已经用过或已过期", StringComparison.Ordinal), "the used-link message");
        Assert.False(second.Find("#tabs").Displayed);
        Assert.Equal(ConsoleUrl, second.Driver.Url);
        Assert.Null(second.Script("return sessionStorage.getItem('console.token');"));
    }

    /// <summary>
    /// Tokens issued through the API with a label and no contact (README: <c>"label":"电尕镇 reporter"</c>) differ only in
    /// their label: the list shows it, as text, where it says more than the unit's name (which the console gives its own).
    /// </summary>
    [Theory]
    [InlineData(1280, "zh-CN")]
    [InlineData(1280, "en")]
    public async Task Tokens_of_one_township_issued_with_labels_and_no_contact_are_told_apart_by_their_label(int width, string language)
    {
        const string county = "623024", township = "623024100";                 // 迭部县, 电尕镇 (Dianga Town)
        var labels = new[] { "电尕镇 reporter", "<b>备用</b> phone", "电尕镇", "Dianga Town" };
        var ids = new List<string>();
        using (var admin = Host.AdminClient())
        {
            foreach (var label in labels)
            {
                ids.Add((await JsonAsync(await admin.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = township, label }))).GetProperty("id").GetString()!);
            }
        }

        var (_, official) = await Host.IssueTokenAsync("official", county);
        using var browser = OpenConsole(width, language);

        SignIn(browser, official);
        Click(browser, browser.Find(".tab[data-tab='tokens']"));
        browser.WaitFor(d => ids.All(id => d.FindElements(By.CssSelector($"#tokens tr[data-token='{id}'][data-scope='{township}']")).Count == 1), "the township's tokens");
        var headers = browser.Driver.FindElements(By.CssSelector("#tokens thead th")).Select(h => h.Text).ToList();
        Assert.Contains(language == "en" ? "Note" : "说明", headers);
        string Note(string id) => browser.Find($"#tokens tr[data-token='{id}'] td.token-note").Text;
        Assert.Equal("电尕镇 reporter", Note(ids[0]));
        Assert.Equal("<b>备用</b> phone", Note(ids[1]));                       // text, not markup
        Assert.Empty(browser.Driver.FindElements(By.CssSelector("#tokens b")));
        Assert.Equal("", Note(ids[2]));                                          // the unit's name says nothing more
        Assert.Equal("", Note(ids[3]));
        Shot(browser, "tokens", language, width);
    }

    /// <summary>
    /// A rollup file has one name however it is downloaded: the console's button saves it under the name the server's
    /// Content-Disposition gives (GET .../files/{name}), which the signed .../link sets too (its rscd); a county's files
    /// carry the county's code. Without that header the console builds the same name.
    /// </summary>
    [Theory]
    [InlineData(1280, "zh-CN")]
    [InlineData(Chromium.PhoneWidth, "en")]
    public async Task A_downloaded_rollup_file_has_the_name_the_server_gives_it_on_every_route(int width, string language)
    {
        const string county = "623024";
        await ReportAsync("623024100", "卓玛", "13800000001");
        using (var admin = Host.AdminClient())
        {
            (await admin.PostAsync($"api/rollups/{Today}", null)).EnsureSuccessStatusCode();
        }

        var (_, prefecture) = await Host.IssueTokenAsync("official", "623000");
        var (_, official) = await Host.IssueTokenAsync("official", county);
        using var browser = OpenConsole(width, language);
        foreach (var (token, scope, infix) in new[] { (prefecture, "623000", ""), (official, county, "-" + county) })
        {
            // What the server calls each file, on both of its routes.
            var expected = new List<string>();
            using (var client = Host.Client(token))
            {
                var query = scope == "623000" ? "" : "?scope=" + scope;
                var manifest = await JsonAsync(await client.GetAsync($"api/rollups/{Today}{query}"));
                foreach (var file in manifest.GetProperty("files").EnumerateArray())
                {
                    using var direct = await client.GetAsync(file.GetProperty("url").GetString()!.TrimStart('/'));
                    var name = direct.Content.Headers.ContentDisposition?.FileName?.Trim('"');
                    var link = new Uri((await JsonAsync(await client.GetAsync(file.GetProperty("link").GetString()!.TrimStart('/')))).GetProperty("url").GetString()!);
                    var rscd = System.Web.HttpUtility.ParseQueryString(link.Query)["rscd"];
                    Assert.Equal($"rollup-{Today}{infix}-r1{Path.GetExtension(file.GetProperty("name").GetString())}", name);
                    Assert.Equal($"attachment; filename=\"{name}\"", rscd);
                    expected.Add(name!);
                }
            }

            SignIn(browser, token);
            var downloads = DownloadFolder(browser);
            Click(browser, browser.Find(".tab[data-tab='rollups']"));
            browser.Visible($"#rollups tr[data-date='{Today}'] button[data-file='rollup.pdf']");
            // On a phone as on a desk, a day's row reads without scrolling sideways and each file's button on one line (at
            // 360 px the table ran past its box and the buttons stood one letter a line: J / S / O / N).
            Assert.Equal("", (string)browser.Script("""
                const table = document.getElementById('rollups');
                const wide = table.scrollWidth > table.parentElement.clientWidth + 1 ? ['the table is wider than its box'] : [];
                const broken = [...table.querySelectorAll('button[data-file]')].filter((b) => b.getBoundingClientRect().height > 40).map((b) => b.textContent);
                return [...wide, ...broken].join(', ');
                """)!);
            foreach (var file in new[] { "rollup.json", "rollup.csv", "rollup.pdf", "rollup.xlsx" })
            {
                if (file == "rollup.xlsx")
                {
                    // A response without Content-Disposition (a proxy that drops it): the console builds the same name.
                    browser.Script("""
                        const fetch0 = window.fetch;
                        window.fetch = async (...args) => {
                          const r = await fetch0(...args);
                          const h = new Headers(r.headers); h.delete('Content-Disposition');
                          return new Response(await r.blob(), { status: r.status, headers: h });
                        };
                        """);
                }

                ClickRollupFile(browser, file);
            }

            Assert.Equal(expected.Order(), Downloaded(browser, downloads, 4).Select(Path.GetFileName).Order());
            Directory.Delete(downloads, recursive: true);
            Shot(browser, "rollups-" + scope, language, width);
            browser.Driver.Navigate().Refresh();
            browser.Visible("#sign-out").Click();
            browser.Visible("#signin");
        }
    }

    /// <summary>
    /// 临潭县 and 舟曲县 each have a 城关镇: whoever sees more than one county reads the county beside a township's name in
    /// the 报告 and 填报员 pickers and on the board; a county official, who sees one county, reads the name alone.
    /// </summary>
    [Theory]
    [InlineData(1280, "zh-CN")]
    [InlineData(1280, "en")]
    [InlineData(Chromium.PhoneWidth, "zh-CN")]
    public async Task Two_townships_of_one_name_are_told_apart_by_their_county_for_whoever_sees_both(int width, string language)
    {
        var en = language == "en";
        var (_, prefecture) = await Host.IssueTokenAsync("official", "623000");
        var (_, official) = await Host.IssueTokenAsync("official", "623021");
        var lintan = en ? "Chengguan Town · Lintan (623021100)" : "城关镇 · 临潭县 (623021100)";
        var zhouqu = en ? "Chengguan Town · Zhouqu (623023100)" : "城关镇 · 舟曲县 (623023100)";
        using var browser = OpenConsole(width, language);
        // Read in one script: the board re-renders every 2 s, and an element found before a re-render is stale.
        string? Text(string css) => (string?)browser.Script("return document.querySelector(arguments[0])?.textContent ?? null;", css);
        string? Option(string select, string code) => Text($"#{select} option[value='{code}']");
        string? Board(string code) => Text($"#board-units tr[data-unit='{code}'] td:first-child");

        foreach (var token in new[] { Host.AdminToken, prefecture })
        {
            SignIn(browser, token);
            browser.WaitFor(d => d.FindElements(By.CssSelector("#board-units tr[data-unit='623023100']")).Count == 1, "the prefecture's board");
            Assert.Equal(lintan.Replace(" (623021100)", " 623021100", StringComparison.Ordinal), Board("623021100"));
            Assert.Equal(zhouqu.Replace(" (623023100)", " 623023100", StringComparison.Ordinal), Board("623023100"));
            foreach (var select in new[] { "reports-unit", "issue-unit" })
            {
                Assert.Equal(lintan, Option(select, "623021100"));
                Assert.Equal(zhouqu, Option(select, "623023100"));
            }

            // The two rows, in a viewport's screenshot (the whole board is 102 townships long).
            browser.Script("document.querySelector(\"#board-units tr[data-unit='623021100']\").scrollIntoView({block: 'center'});");
            Screenshots.Save(browser, $"console-board-prefecture-{(en ? "en" : "zh")}{(width == Chromium.PhoneWidth ? "-phone" : "")}.png");
            Click(browser, browser.Find(".tab[data-tab='reports']"));
            browser.Script("document.getElementById('reports-unit').value = '623023100';");
            Click(browser, browser.Find("#reports-show"));
            browser.Visible("#reports-empty");
            Assert.Equal(zhouqu, Text("#reports-unit option:checked"));
            Shot(browser, "reports-prefecture", language, width);
            Click(browser, browser.Find(".tab[data-tab='tokens']"));
            browser.Script("document.getElementById('issue-unit').value = '623021100';");
            browser.WaitFor(d => d.FindElements(By.CssSelector("#tokens tr[data-token]")).Count > 0, "the token list");
            // Each token's area reads on one line, on a phone too (seven columns squeezed 甘南藏族自治州 to a character a line).
            Assert.Equal("", (string)browser.Script("""
                return [...document.querySelectorAll('#tokens tr[data-token] td:first-child')].filter((td) => {
                  const range = document.createRange();
                  range.selectNodeContents(td.firstChild);
                  return range.getClientRects().length > 1;
                }).map((td) => td.textContent).join(', ');
                """)!);
            Shot(browser, "tokens-prefecture", language, width);
            SignOut(browser);
        }

        SignIn(browser, official);
        browser.WaitFor(d => d.FindElements(By.CssSelector("#board-units tr[data-unit='623021100']")).Count == 1, "the county's board");
        var alone = en ? "Chengguan Town" : "城关镇";
        Assert.Equal($"{alone} 623021100", Board("623021100"));
        Assert.Equal($"{alone} (623021100)", Option("reports-unit", "623021100"));
        Assert.Equal($"{alone} (623021100)", Option("issue-unit", "623021100"));
    }

    [Fact]
    public async Task Bad_tokens_and_a_storage_outage_give_a_clear_message_in_the_page()
    {
        var (revokedId, revoked) = await Host.IssueTokenAsync("official", "623021");
        using (var admin = Host.AdminClient())
        {
            (await admin.DeleteAsync($"api/tokens/{revokedId}")).EnsureSuccessStatusCode();
        }

        var (_, reporter) = await Host.IssueTokenAsync("reporter", "623021100");
        using var browser = Browser(Chromium.PhoneWidth, "zh-CN");
        browser.Driver.Navigate().GoToUrl(ConsoleUrl);
        foreach (var (token, expected) in new[] { ("pt_0123456789abcdef_wrong", "令牌无效"), (revoked, "令牌无效"), (reporter, "填报员") })
        {
            var input = browser.Visible("#token-input");
            input.Clear();
            input.SendKeys(token);
            browser.Find("#signin-button").Click();
            browser.WaitFor(d => d.FindElement(By.Id("signin-error")).Text.Contains(expected, StringComparison.Ordinal), expected);
            Assert.False(browser.Find("#tabs").Displayed);
        }

        // The board keeps its last data when the connection drops, and says so.
        var (_, official) = await Host.IssueTokenAsync("official", "623021");
        var input2 = browser.Visible("#token-input");
        input2.Clear();
        SignIn(browser, official);
        browser.WaitFor(d => d.FindElements(By.CssSelector("#board-units tr[data-unit]")).Count > 0, "the board");
        browser.Offline = true;
        browser.Find("#board-refresh").Click();
        browser.Visible("#board-offline");
        Assert.NotEmpty(browser.Driver.FindElements(By.CssSelector("#board-units tr[data-unit]")));
        browser.Offline = false;
        browser.WaitFor(d => !d.FindElement(By.Id("board-offline")).Displayed, "back online");

        // Storage down: a host whose storage does not answer still signs the admin in and says what is wrong.
        await using var down = await PipelineHost.StartAsync(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1",
            waitForStorage: false);
        SignOut(browser);
        browser.Driver.Navigate().GoToUrl(new Uri(down.BaseAddress, "api/console").ToString());
        SignIn(browser, down.AdminToken);
        browser.WaitFor(d => d.FindElement(By.Id("status")).Text.Contains("暂时无法读写数据", StringComparison.Ordinal), "the storage message", 90);
    }
}
