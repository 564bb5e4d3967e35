using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Contacts;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Contacts;

[Collection(ConsoleAzuriteCollection.Name)]
public sealed class UnitContactDirectoryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_units_latest_report_names_its_contact_else_its_live_reporter_token()
    {
        await using var host = await PipelineHost.StartAsync(azurite.ConnectionString);
        var tokens = host.Services.GetRequiredService<TokenStore>();
        const string reported = "623021100", tokenOnly = "623021101", revokedOnly = "623021102", nobody = "623021103", reportedWithoutPhone = "623021104";
        await tokens.IssueAsync(Role.Reporter, reported, "t", default, new TokenContact("旧联系人", "13900000001"));
        await tokens.IssueAsync(Role.Reporter, tokenOnly, "t", default, new TokenContact("扎西", "13900000002"));
        var revoked = await tokens.IssueAsync(Role.Reporter, revokedOnly, "t", default, new TokenContact("已撤销", "13900000003"));
        await tokens.RevokeAsync(revoked.Id, default);
        await tokens.IssueAsync(Role.Reporter, reportedWithoutPhone, "t", default, new TokenContact("才让", "13900000004"));

        using var admin = host.AdminClient();
        var earlier = Reports.Valid(unit: reported, date: "2026-11-25");
        earlier["reporter"] = new Dictionary<string, object?> { ["name"] = "前天的人", ["phone"] = "13700000000" };
        (await admin.PostAsync(earlier)).EnsureSuccessStatusCode();
        (await admin.PostAsync(Reports.Valid(unit: reported, date: "2026-11-26"))).EnsureSuccessStatusCode();
        var silent = Reports.Valid(unit: reportedWithoutPhone);
        silent["reporter"] = new Dictionary<string, object?> { ["name"] = "", ["phone"] = "" };
        (await admin.PostAsync(silent)).EnsureSuccessStatusCode();

        var contacts = await host.Services.GetRequiredService<UnitContactDirectory>()
            .ForUnitsAsync([reported, tokenOnly, revokedOnly, nobody, reportedWithoutPhone, "999999999"], default);

        Assert.Equal(new UnitContact(reported, "卓玛", "13800138000", UnitContactSource.LatestReport), contacts[reported]);
        Assert.Equal(new UnitContact(tokenOnly, "扎西", "13900000002", UnitContactSource.Token), contacts[tokenOnly]);
        Assert.Equal(UnitContact.None(revokedOnly), contacts[revokedOnly]);
        Assert.Equal(UnitContact.None(nobody), contacts[nobody]);
        Assert.Equal(new UnitContact(reportedWithoutPhone, "才让", "13900000004", UnitContactSource.Token), contacts[reportedWithoutPhone]);
        Assert.Equal(UnitContact.None("999999999"), contacts["999999999"]);
    }
}
