using System.Net;
using Microsoft.Extensions.Logging;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

public sealed class ReservedRouteTests
{
    [Fact]
    public async Task A_function_on_a_reserved_route_is_in_error_and_not_served_and_the_others_are()
    {
        var logs = new LogCapture();
        await using var probe = await ProbeHost.StartAsync(typeof(ReservedRouteProbeFunctions), builder => builder.Logging.AddProvider(logs));
        using var client = probe.Client();

        Assert.Equal(["ProbeTokens", "ProbeUnrouted"], probe.Served.Select(f => f.Name).Order());
        foreach (var path in new[] { "api/admin/tokens", "api/Runtime/status", "api/administration", "api/adminProbe" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }

        Assert.Equal("\"served\"", await client.GetStringAsync("api/tokens"));
        Assert.Equal("\"served\"", await client.GetStringAsync("api/ProbeUnrouted"));
        foreach (var function in new[] { "ProbeAdminTokens", "ProbeRuntime", "ProbeAdministration", "adminProbe" })
        {
            Assert.Single(logs.Lines, line => line.Contains($"The function {function} is in error", StringComparison.Ordinal)
                && line.Contains(ReservedRoutes.ConflictMessage, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(logs.Lines, line => line.Contains("ProbeTokens is in error", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("admin", true)]
    [InlineData("/admin/tokens", true)]
    [InlineData("ADMIN/x", true)]
    [InlineData("administration", true)]
    [InlineData("runtime/webhooks", true)]
    [InlineData("/RuntimeStatus/", true)]
    [InlineData("tokens", false)]
    [InlineData("reports/{date}/admin", false)]
    [InlineData("console/admin", false)]
    public void The_reserved_space_is_every_route_starting_with_admin_or_runtime(string route, bool reserved) =>
        Assert.Equal(reserved, ReservedRoutes.Conflicts(route));
}
