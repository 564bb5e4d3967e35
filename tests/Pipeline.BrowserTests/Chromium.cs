using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Chromium;
using OpenQA.Selenium.Support.UI;

namespace Pipeline.BrowserTests;

/// <summary>
/// Headless Chromium from the system packages (Debian's chromium + chromium-driver), driven through
/// chromedriver. Nothing is ever downloaded: the browser and the driver are given by path, and Selenium
/// Manager is told to stay offline. PIPELINE_CHROMIUM and PIPELINE_CHROMEDRIVER override the paths.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const int PhoneWidth = 360;
    public const int PhoneHeight = 740;

    private readonly string profile = Path.Combine(Path.GetTempPath(), "chromium-test-" + Guid.NewGuid().ToString("N"));

    public Chromium(string language = "zh-CN")
    {
        var browser = Environment.GetEnvironmentVariable("PIPELINE_CHROMIUM") is { Length: > 0 } b ? b : "/usr/bin/chromium";
        var driverPath = Environment.GetEnvironmentVariable("PIPELINE_CHROMEDRIVER") is { Length: > 0 } d ? d : "/usr/bin/chromedriver";
        if (!File.Exists(browser) || !File.Exists(driverPath))
        {
            throw new InvalidOperationException(
                $"Chromium ({browser}) or chromedriver ({driverPath}) is missing: install Debian's chromium and chromium-driver " +
                "(.ci/run and ./test.sh do, as root), or set PIPELINE_CHROMIUM / PIPELINE_CHROMEDRIVER.");
        }

        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check",
            "--user-data-dir=" + profile, $"--window-size={PhoneWidth},{PhoneHeight}", "--lang=" + language,
            "--hide-scrollbars");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath)!, Path.GetFileName(driverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
        // A phone's viewport: 360 CSS px wide, the page's meta viewport honoured.
        Driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new Dictionary<string, object?>
        {
            ["width"] = PhoneWidth,
            ["height"] = PhoneHeight,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = true,
        });
        Driver.ExecuteCdpCommand("Emulation.setTouchEmulationEnabled", new Dictionary<string, object?> { ["enabled"] = true, ["maxTouchPoints"] = 1 });
    }

    public ChromeDriver Driver { get; }

    public bool Offline
    {
        set
        {
            if (value)
            {
                Driver.NetworkConditions = new ChromiumNetworkConditions
                {
                    IsOffline = true,
                    Latency = TimeSpan.FromMilliseconds(5),
                    DownloadThroughput = 500_000,
                    UploadThroughput = 500_000,
                };
            }
            else
            {
                Driver.ClearNetworkConditions();
            }
        }
    }

    /// <summary>
    /// Makes requests to URLs matching these wildcard patterns fail as a network error (what a phone sees
    /// when the connection drops), while everything else still loads; no pattern lifts the block. Unlike
    /// <see cref="Offline"/>, lifting it fires no 'online' event, so no page sends anything on its own.
    /// </summary>
    public void Block(params string[] urlPatterns)
    {
        Driver.ExecuteCdpCommand("Network.enable", new Dictionary<string, object?>());
        Driver.ExecuteCdpCommand("Network.setBlockedURLs", new Dictionary<string, object?> { ["urls"] = urlPatterns });
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public T WaitFor<T>(Func<IWebDriver, T> condition, string what, double seconds = 20)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { Message = "waiting for " + what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public IWebElement Visible(string css, double seconds = 20) =>
        WaitFor(d => d.FindElement(By.CssSelector(css)) is { Displayed: true } e ? e : null, css + " to be visible", seconds)!;

    public object? Script(string script, params object[] args) => Driver.ExecuteScript(script, args);

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile as it exits; the temp folder is cleaned later.
            }
        }
    }
}
