using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;
using Pipeline.Testing;

namespace Pipeline.BrowserTests;

/// <summary>
/// The reporters' form in a real (headless) Chromium against the local host and a private Azurite:
/// what a township reporter does on a phone, including losing the connection mid-submit.
/// The host's clock is pinned to 2026-11-27 12:00 in Asia/Shanghai.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReportFormTests(AzuriteFixture azurite) : HostedTests(azurite)
{
    private const string Today = "2026-11-27";

    private string FormUrl => new Uri(Host.BaseAddress, "api/form").ToString();

    /// <summary>Opens the form, enters the token once and waits until the unit's fields are there.</summary>
    private async Task<(Chromium Browser, string Token)> OpenFormAsync(string unit, string language = "zh-CN")
    {
        var (_, token) = await Host.IssueTokenAsync("reporter", unit);
        var browser = new Chromium(language);
        try
        {
            browser.Driver.Navigate().GoToUrl(FormUrl);
            browser.Visible("#token-input").SendKeys(token);
            browser.Find("#token-save").Click();
            browser.Visible("#v-returnees");
            browser.WaitFor(d => d.FindElement(By.Id("unit-name")).Text.Contains(unit, StringComparison.Ordinal), "the unit's name");
            return (browser, token);
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    /// <summary>The count even while its section is hidden (WebElement.Text is empty for hidden elements).</summary>
    private static string PendingCount(IWebDriver driver) =>
        driver.FindElement(By.Id("pending-count")).GetDomProperty("textContent") ?? "";

    private static void Type(Chromium browser, string key, string text)
    {
        var input = browser.Find("#v-" + key);
        input.Clear();
        input.SendKeys(text);
    }

    private static void FillValid(Chromium browser)
    {
        Type(browser, "returnees", "12");
        Type(browser, "fromEpidemicAreas", "3");
        Type(browser, "fromHubei", "1");
        Type(browser, "homeQuarantine", "3");
        Type(browser, "feverReferred", "0");
        Type(browser, "donatedCashYuan", "1250.50");
        browser.Find("#reporter-name").Clear();
        browser.Find("#reporter-name").SendKeys("卓玛");
        browser.Find("#reporter-phone").Clear();
        browser.Find("#reporter-phone").SendKeys("13800138000");
    }

    private static void Submit(Chromium browser)
    {
        var button = browser.Find("#submit");
        browser.Script("arguments[0].scrollIntoView({block: 'center'});", button);
        button.Click();
    }

    /// <summary>The server's message for <paramref name="field"/> when a valid report is sent with <paramref name="changes"/>.</summary>
    private async Task<string> ServerMessageAsync(string token, string unit, string field, Dictionary<string, object?> changes)
    {
        var report = Reports.Valid(unit);
        var values = (Dictionary<string, object?>)report["values"]!;
        foreach (var (key, value) in changes)
        {
            values[key] = value;
        }

        using var client = Host.Client(token);
        var response = await client.PostAsJsonAsync("api/reports", report);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
    }

    private async Task<JsonElement> RevisionsAsync(string token, string unit, string date = Today)
    {
        using var client = Host.Client(token);
        var response = await client.GetAsync($"api/reports/{date}/{unit}/revisions");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return JsonDocument.Parse("[]").RootElement;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Renders_the_catalogue_fills_submits_and_shows_the_receipt()
    {
        const string unit = "623024100";
        using var http = Host.Client();
        var catalogue = await http.GetFromJsonAsync<JsonElement>("api/indicators");
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            // The unit, its county and the reporting day (the host's clock, not the device's).
            Assert.Contains("电尕镇", browser.Find("#unit-name").Text);
            Assert.Contains("迭部县", browser.Find("#county-name").Text);
            Assert.Equal(Today, browser.Find("#today").Text);

            // Every indicator of the catalogue, in its group, required ones marked; numeric keyboards.
            foreach (var indicator in catalogue.GetProperty("indicators").EnumerateArray())
            {
                var key = indicator.GetProperty("key").GetString()!;
                var input = browser.Find("#v-" + key);
                var group = indicator.GetProperty("group").GetString()!;
                Assert.Equal(group, (string)browser.Script("return arguments[0].closest('fieldset').dataset.group;", input)!);
                Assert.Equal(indicator.GetProperty("labelZh").GetString(), browser.Find("#label-" + key + " .label-text").Text);
                Assert.Equal(indicator.GetProperty("required").GetBoolean(), input.GetAttribute("aria-required") == "true");
                Assert.Equal(indicator.GetProperty("kind").GetString() == "money" ? "decimal" : "numeric", input.GetAttribute("inputmode"));
            }

            Assert.Equal(
                catalogue.GetProperty("indicators").GetArrayLength(),
                browser.Driver.FindElements(By.CssSelector("#groups input[data-indicator]")).Count);

            FillValid(browser);
            Submit(browser);

            var receipt = browser.Visible("#receipt").Text;
            Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", receipt);
            Assert.Equal("1", browser.Find("#revision").Text);
            Assert.Equal("0", PendingCount(browser.Driver));

            var revisions = await RevisionsAsync(token, unit);
            var stored = Assert.Single(revisions.EnumerateArray());
            Assert.Equal(receipt, stored.GetProperty("receipt").GetString());
            var values = stored.GetProperty("values");
            Assert.Equal(12, values.GetProperty("returnees").GetInt32());
            Assert.Equal(0, values.GetProperty("feverReferred").GetInt32());
            Assert.Equal(1250.5m, values.GetProperty("donatedCashYuan").GetDecimal());
            Assert.False(values.TryGetProperty("fromWuhan", out _), "a blank field is not reported, not 0");
            Assert.Equal("13800138000", stored.GetProperty("reporter").GetProperty("phone").GetString());

            // A correction from the same page becomes revision 2.
            Type(browser, "returnees", "13");
            Submit(browser);
            browser.WaitFor(d => d.FindElement(By.Id("revision")).Text == "2", "revision 2");
            Assert.Equal(2, (await RevisionsAsync(token, unit)).GetArrayLength());
        }
    }

    [Fact]
    public async Task Offers_yesterdays_stock_values_and_shows_todays_current_revision()
    {
        const string unit = "623024101";
        var (_, token) = await Host.IssueTokenAsync("reporter", unit);
        using (var reporter = Host.Client(token))
        {
            var yesterday = Reports.Valid(unit, "2026-11-26");
            ((Dictionary<string, object?>)yesterday["values"]!)["centralQuarantine"] = 7;
            Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsJsonAsync("api/reports", yesterday)).StatusCode);
        }

        using var browser = new Chromium();
        browser.Driver.Navigate().GoToUrl(FormUrl);
        browser.Visible("#token-input").SendKeys(token);
        browser.Find("#token-save").Click();
        browser.Visible("#use-yesterday");

        // Offered, not filled in: a blank stock stays "not reported" until the reporter takes it.
        Assert.Equal("", browser.Find("#v-centralQuarantine").GetAttribute("value"));
        var hint = browser.Find("[data-yesterday-for='centralQuarantine']");
        Assert.Contains("7", hint.Text);
        Assert.Contains("未报送", hint.Text);                      // says what leaving it blank means
        // Nothing inside the field that looks like an entered value: blank is visibly blank.
        Assert.Null(browser.Find("#v-centralQuarantine").GetDomAttribute("placeholder"));
        Assert.False(browser.Find("[data-yesterday-for='returnees']").Displayed, "flows are not carried over");

        // One field at a time, by its own button.
        var useOne = browser.Find("[data-use-yesterday-for='centralQuarantine']");
        Assert.Contains("7", useOne.Text);
        browser.Script("arguments[0].scrollIntoView({block: 'center'});", useOne);
        useOne.Click();
        Assert.Equal("7", browser.Find("#v-centralQuarantine").GetAttribute("value"));
        Assert.Equal("", browser.Find("#v-homeQuarantine").GetAttribute("value"));

        var all = browser.Find("#use-yesterday");
        browser.Script("arguments[0].scrollIntoView({block: 'center'});", all);
        all.Click();
        Assert.Equal("7", browser.Find("#v-centralQuarantine").GetAttribute("value"));
        Assert.Equal("3", browser.Find("#v-homeQuarantine").GetAttribute("value"));
        Assert.Equal("", browser.Find("#v-returnees").GetAttribute("value"));

        // The token is kept on the device: a reload goes straight to the form.
        browser.Driver.Navigate().Refresh();
        browser.Visible("#v-returnees");
        Assert.False(browser.Find("#token-section").Displayed);
    }

    [Fact]
    public async Task Shows_the_servers_field_errors_beside_their_fields_and_stores_nothing()
    {
        const string unit = "623024102";
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            FillValid(browser);
            browser.WaitFor(d => browser.Script("return localStorage.getItem('pipeline.form.shape');") is string, "the report's shape from the server");
            Type(browser, "fromWuhan", "5");                       // more from Wuhan than from Hubei (1)
            browser.Find("#reporter-phone").Clear();
            browser.Find("#reporter-phone").SendKeys("12345");     // not a phone number
            Submit(browser);

            // A rule across fields, checked in the form from the rules the server publishes: no round trip,
            // and word for word the message the server gives for the same values.
            var wuhan = browser.Visible("[data-error-for='values.fromWuhan']");
            Assert.Equal("client", wuhan.GetAttribute("data-source"));
            Assert.Equal(await ServerMessageAsync(token, unit, "values.fromWuhan", new() { ["fromWuhan"] = 5 }), wuhan.Text);
            Assert.Equal("武汉流入人员（5）不能大于湖北流入人员（1）", wuhan.Text);
            Assert.Equal("true", browser.Find("#v-fromWuhan").GetAttribute("aria-invalid"));
            // Beside its own field: inside the same field row as the input.
            Assert.Equal("fromWuhan", (string)browser.Script("return arguments[0].closest('[data-field]').dataset.field;", wuhan)!);
            Assert.False(browser.Find("[data-error-for='reporter.phone']").Displayed, "not sent: the server has not judged the phone yet");
            Assert.Equal(0, (await RevisionsAsync(token, unit)).GetArrayLength());

            // Fixing a value takes its error down at once, not at the next submit.
            Type(browser, "fromWuhan", "1");
            browser.WaitFor(d => !d.FindElement(By.CssSelector("[data-error-for='values.fromWuhan']")).Displayed, "the fixed field's error to go");
            Assert.Null(browser.Find("#v-fromWuhan").GetAttribute("aria-invalid"));

            // What only the server can tell: the phone.
            Submit(browser);
            var phone = browser.Visible("[data-error-for='reporter.phone']");
            Assert.Equal("server", phone.GetAttribute("data-source"));
            Assert.Contains("电话", phone.Text);
            Assert.False(browser.Find("[data-error-for='values.fromWuhan']").Displayed);
            Assert.False(browser.Find("[data-error-for='values.returnees']").Displayed);
            Assert.False(browser.Find("#result").Displayed);
            Assert.Equal(0, (await RevisionsAsync(token, unit)).GetArrayLength());

            // Something the page itself can tell before sending: not a number.
            Type(browser, "fromWuhan", "");
            Type(browser, "returnees", "十二");
            Submit(browser);
            var local = browser.Visible("[data-error-for='values.returnees']");
            Assert.Equal("client", local.GetAttribute("data-source"));
            Type(browser, "returnees", "十");
            Assert.True(local.Displayed, "still not a number: the error stays");

            // Fixed, it goes through.
            Type(browser, "returnees", "12");
            browser.Find("#reporter-phone").Clear();
            browser.Find("#reporter-phone").SendKeys("0941-8212345");
            Submit(browser);
            Assert.Equal("1", browser.Visible("#revision").Text);
            Assert.False(browser.Find("[data-error-for='values.fromWuhan']").Displayed);
        }
    }

    [Fact]
    public async Task A_submit_made_offline_waits_on_the_device_and_is_stored_once_when_the_connection_returns()
    {
        const string unit = "623024103";
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            FillValid(browser);
            browser.Offline = true;
            Submit(browser);

            browser.WaitFor(d => PendingCount(d) == "1", "one report waiting to be sent");
            Assert.True(browser.Find("#pending-section").Displayed);
            Assert.Contains("无法连接服务器", browser.Visible("#status").Text);
            Assert.False(browser.Find("#result").Displayed);
            var queued = (string)browser.Script("return localStorage.getItem('pipeline.form.pending');")!;
            var item = Assert.Single(JsonDocument.Parse(queued).RootElement.EnumerateArray());
            var submissionId = item.GetProperty("submissionId").GetString();
            Assert.Equal(submissionId, item.GetProperty("body").GetProperty("submissionId").GetString());
            Assert.Equal(0, (await RevisionsAsync(token, unit)).GetArrayLength());

            browser.Offline = false;
            browser.WaitFor(d => PendingCount(d) == "0", "the queue to drain once online", seconds: 45);
            Assert.Matches("^[0-9A-Z]{5}-[0-9A-Z]{5}$", browser.Visible("#receipt").Text);
            Assert.Equal("1", browser.Find("#revision").Text);
            // Sent: "cannot reach the server" is no longer true, so it is no longer said.
            Assert.False(browser.Find("#status").Displayed, "the cannot-reach-the-server banner is taken down once the report is sent");

            var revisions = await RevisionsAsync(token, unit);
            Assert.Single(revisions.EnumerateArray());
            Assert.Equal("[]", (string)browser.Script("return localStorage.getItem('pipeline.form.pending');")!);

            // Losing and regaining the connection again sends nothing more.
            browser.Offline = true;
            browser.Offline = false;
            browser.Script("window.dispatchEvent(new Event('online'));");
            await Task.Delay(1000);
            Assert.Single((await RevisionsAsync(token, unit)).EnumerateArray());
        }
    }

    [Fact]
    public async Task A_queued_report_survives_a_reload_and_a_replay_stores_it_once()
    {
        const string unit = "623024104";
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            // Only the submit cannot get through; the page itself still loads. (Going offline and back would
            // fire 'online' in the page being reloaded, which Chromium unloads in the background: that page
            // could send the report before the new one read the queue, and the new one had nothing left to
            // send and no result to show. That race made this test fail about 1 run in 12.)
            var submits = new Uri(Host.BaseAddress, "api/reports").ToString();
            browser.Block(submits);
            FillValid(browser);
            Submit(browser);
            browser.WaitFor(d => PendingCount(d) == "1", "one report waiting to be sent");
            browser.WaitFor(d => d.FindElement(By.Id("submit")).Enabled, "the failed send to finish");
            var queued = (string)browser.Script("return localStorage.getItem('pipeline.form.pending');")!;
            var body = JsonDocument.Parse(queued).RootElement[0].GetProperty("body").GetRawText();

            // The request got through but the answer was lost: the server has it, the phone does not know.
            using (var reporter = Host.Client(token))
            {
                var direct = await reporter.PostAsync("api/reports", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Created, direct.StatusCode);
            }

            browser.Driver.Navigate().Refresh();
            browser.Visible("#v-returnees");
            browser.WaitFor(d => d.FindElements(By.CssSelector("#pending-list .why")).Count == 1, "the reloaded page to try the queue");
            Assert.Equal("1", PendingCount(browser.Driver));
            Assert.Equal(queued, (string)browser.Script("return localStorage.getItem('pipeline.form.pending');")!);

            browser.Block();
            browser.Find("#retry-now").Click();
            browser.WaitFor(d => PendingCount(d) == "0", "the queue to drain after the reload", seconds: 45);
            Assert.Equal("1", browser.Visible("#revision").Text);
            Assert.Single((await RevisionsAsync(token, unit)).EnumerateArray());
        }
    }

    [Fact]
    public async Task A_submit_answered_503_while_storage_is_down_stays_queued_and_goes_through_after()
    {
        const string unit = "623021102";
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            FillValid(browser);
            await Azurite.StopAsync();
            try
            {
                Submit(browser);
                browser.WaitFor(d => PendingCount(d) == "1", "the report to wait on the device", seconds: 60);
                browser.WaitFor(d => d.FindElement(By.Id("submit")).Enabled, "the submit to finish", seconds: 60);
                Assert.Contains("503", browser.Find("#pending-list").Text);
                Assert.False(browser.Find("#result").Displayed);
                Assert.Equal(1, Convert.ToInt32(browser.Script("return JSON.parse(localStorage.getItem('pipeline.form.pending')).length;")));
            }
            finally
            {
                await Azurite.StartAsync();
            }

            // Retried on its own (Retry-After, then every few seconds) once storage answers again.
            browser.WaitFor(d => PendingCount(d) == "0", "the queue to drain once storage is back", seconds: 90);
            Assert.Equal("1", browser.Visible("#revision").Text);
            Assert.Single((await RevisionsAsync(token, unit)).EnumerateArray());
        }
    }

    [Fact]
    public async Task Switches_to_english_remembers_it_and_gets_the_servers_messages_in_english()
    {
        const string unit = "623021100";
        var (browser, _) = await OpenFormAsync(unit);
        using (browser)
        {
            Assert.Equal("zh-CN", browser.Find("html").GetAttribute("lang"));
            Assert.Equal("返乡人员", browser.Find("#label-returnees .label-text").Text);
            Type(browser, "returnees", "12");   // typing is kept across the switch

            browser.Find("#lang-toggle").Click();
            Assert.Equal("en", browser.Find("html").GetAttribute("lang"));
            Assert.Equal("Returnees screened", browser.Find("#label-returnees .label-text").Text);
            Assert.Equal("Movement", browser.Find("#group-movement legend").Text);
            Assert.Equal("Daily epidemic-prevention report", browser.Find("#title").Text);
            Assert.Equal("中文", browser.Find("#lang-toggle").Text);
            Assert.Equal("12", browser.Find("#v-returnees").GetAttribute("value"));

            browser.Driver.Navigate().Refresh();
            browser.Visible("#v-returnees");
            Assert.Equal("Returnees screened", browser.Find("#label-returnees .label-text").Text);

            FillValid(browser);
            Type(browser, "fromWuhan", "5");
            Submit(browser);
            Assert.Equal("Arrivals from Wuhan (5) cannot exceed Arrivals from Hubei (1)", browser.Visible("[data-error-for='values.fromWuhan']").Text);

            browser.Find("#lang-toggle").Click();
            Assert.Equal("返乡人员", browser.Find("#label-returnees .label-text").Text);
        }
    }

    [Fact]
    public async Task Fits_a_360_px_phone_with_large_touch_targets_in_both_languages()
    {
        const string unit = "623021101";
        var (_, seed) = await Host.IssueTokenAsync("reporter", unit);
        using (var reporter = Host.Client(seed))
        {
            var yesterday = Reports.Valid(unit, "2026-11-26");
            ((Dictionary<string, object?>)yesterday["values"]!)["centralQuarantine"] = 2;
            Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsJsonAsync("api/reports", yesterday)).StatusCode);
        }

        var (browser, _) = await OpenFormAsync(unit);
        using (browser)
        {
            foreach (var language in new[] { "zh", "en" })
            {
                if (language == "en")
                {
                    browser.Find("#lang-toggle").Click();
                    browser.WaitFor(d => d.FindElement(By.TagName("html")).GetAttribute("lang") == "en", "English");
                }

                Assert.Equal(Chromium.PhoneWidth, Convert.ToInt32(browser.Script("return window.innerWidth;")));
                var scrollWidth = Convert.ToInt32(browser.Script("return document.documentElement.scrollWidth;"));
                Assert.True(scrollWidth <= Chromium.PhoneWidth, $"{language}: the page is {scrollWidth}px wide, wider than the phone");

                var small = (string)browser.Script("""
                    return Array.from(document.querySelectorAll('button, input, select, textarea'))
                      .filter(e => e.offsetParent !== null)
                      .map(e => [e.id || e.name || e.tagName, e.getBoundingClientRect()])
                      .filter(([, r]) => r.height < 44 || r.width < 44)
                      .map(([id, r]) => id + ' ' + Math.round(r.width) + 'x' + Math.round(r.height)).join(', ');
                    """)!;
                Assert.True(small.Length == 0, $"{language}: touch targets under 44px: {small}");

                browser.Script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();");
                Screenshots.Save(browser, $"form-{language}.png");
            }
        }
    }

    private static List<string> PolicyViolations(Chromium browser) =>
        browser.Driver.Manage().Logs.GetLog(LogType.Browser)
            .Select(l => l.Message)
            .Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            .ToList();

    [Fact]
    public async Task Works_under_its_content_security_policy_without_a_single_violation()
    {
        const string unit = "623024201";
        var (browser, token) = await OpenFormAsync(unit);
        using (browser)
        {
            FillValid(browser);
            Submit(browser);
            Assert.Equal("1", browser.Visible("#revision").Text);
            browser.Find("#lang-toggle").Click();
            browser.WaitFor(d => d.FindElement(By.TagName("html")).GetAttribute("lang") == "en", "English");
            Type(browser, "returnees", "x");
            Submit(browser);
            browser.Visible("[data-error-for='values.returnees']");
            Assert.Single((await RevisionsAsync(token, unit)).EnumerateArray());
            Assert.Empty(PolicyViolations(browser));

            // The policy is in force, and a violation would be seen: an inline script is refused and logged.
            var ran = browser.Script("""
                const s = document.createElement('script');
                s.textContent = 'window.inlineScriptRan = true;';
                document.body.appendChild(s);
                return window.inlineScriptRan === true;
                """);
            Assert.Equal(false, ran);
            browser.WaitFor(d => PolicyViolations(browser).Count > 0, "the refused inline script in the browser's log");
        }
    }

    [Fact]
    public async Task Signs_in_once_from_an_enrolment_link_and_says_so_when_the_link_is_used_or_the_token_revoked()
    {
        const string unit = "623024202";
        JsonElement issued;
        using (var admin = Host.AdminClient())
        {
            var response = await admin.PostAsJsonAsync("api/tokens", new { role = "reporter", scope = unit, label = "enrolment test" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var link = issued.GetProperty("link").GetString()!;
        Assert.Contains("/api/form#enrol=", link, StringComparison.Ordinal);
        using var first = new Chromium();
        first.Driver.Navigate().GoToUrl(link);
        first.Visible("#v-returnees");
        first.WaitFor(d => d.FindElement(By.Id("unit-name")).Text.Contains(unit, StringComparison.Ordinal), "the unit's name");
        Assert.Equal(FormUrl, first.Driver.Url);                                   // the code left the address bar
        // Kept as a typed token is (enrolment hands out the token of that id; the code is not the token).
        var kept = JsonSerializer.Deserialize<string>((string)first.Script("return localStorage.getItem('pipeline.form.token');")!)!;
        Assert.StartsWith("pt_" + issued.GetProperty("id").GetString() + "_", kept, StringComparison.Ordinal);
        Assert.Contains("登记成功", first.Find("#status").Text);
        FillValid(first);
        Submit(first);
        Assert.Equal("1", first.Visible("#revision").Text);

        // The same link on another phone, in either language: used up, nothing signed in, and the page no longer
        // says it is signing in above the message that it did not.
        foreach (var (language, used, signingIn) in new[] { ("zh", "已使用过", "正在用登记链接登录"), ("en", "already been used", "Signing in") })
        {
            using var second = new Chromium();
            if (language == "en")
            {
                second.Driver.Navigate().GoToUrl(FormUrl);
                second.Script("localStorage.setItem('pipeline.form.lang', JSON.stringify('en'));");
                second.Driver.Navigate().GoToUrl("about:blank");
            }

            second.Driver.Navigate().GoToUrl(link);
            var error = second.Visible("#token-error");
            Assert.Contains(used, error.Text);
            Assert.DoesNotContain(signingIn, second.Find("#status").Text);
            Assert.False(second.Find("#report-form").Displayed);
            Assert.Null(second.Script("return localStorage.getItem('pipeline.form.token');"));
            Assert.Equal(FormUrl, second.Driver.Url);
            Screenshots.Save(second, $"form-enrol-used-{language}.png");
        }

        using (var admin = Host.AdminClient())
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("api/tokens/" + issued.GetProperty("id").GetString())).StatusCode);
        }

        first.Driver.Navigate().Refresh();
        first.WaitFor(d => d.FindElement(By.Id("token-error")).Text.Contains("令牌无效或已被撤销", StringComparison.Ordinal), "the form saying the token is no longer valid");
        Assert.False(first.Find("#report-form").Displayed);
    }
}
