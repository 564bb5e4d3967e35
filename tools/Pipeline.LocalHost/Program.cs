using Pipeline.LocalHost;

var app = LocalFunctionsHost.Build(args);
app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var url in app.Urls)
    {
        app.Logger.LogInformation("Local Functions host listening on {Url}", url);
    }
});
await app.RunAsync();
