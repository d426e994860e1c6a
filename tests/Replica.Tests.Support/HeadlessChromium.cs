using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Replica.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven through its own chromedriver (Selenium WebDriver): nothing is downloaded, the
/// profile lives in a scratch directory removed on dispose, and the browser and driver processes end with it. The
/// browser tier (<c>./replica test --tier browser</c>) installs both when missing; tests using this class carry
/// [Trait("Category", "Browser")].
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string Category = "Browser";
    private const string BrowserPath = "/usr/bin/chromium";
    private const string DriverPath = "/usr/bin/chromedriver";

    private readonly ScratchDirectory _profile;

    public HeadlessChromium(int width = 1280, int height = 900)
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            throw new InvalidOperationException(
                $"Chromium ({BrowserPath}) and its driver ({DriverPath}) are needed; `./replica test --tier browser` installs them (apt-get install chromium chromium-driver)");
        }
        _profile = new ScratchDirectory("replica-chromium-"); // only once nothing before it can throw: a failed start removes it below

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-extensions", $"--window-size={width},{height}", $"--user-data-dir={_profile.Path}");
        try
        {
            Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            service.Dispose();
            _profile.Dispose();
            throw;
        }
    }

    /// <summary>The WebDriver session: navigate, find elements, run script.</summary>
    public IWebDriver Driver { get; }

    /// <summary>Opens <paramref name="url"/> (http(s) or file) and waits for the document to finish loading.</summary>
    public Task OpenAsync(string url)
    {
        Driver.Navigate().GoToUrl(url);
        return Eventually.WaitAsync(
            () => Equals(Script("return document.readyState"), "complete"), TimeSpan.FromSeconds(30), $"{url} to finish loading");
    }

    /// <summary>Runs <paramref name="script"/> in the page and returns its value.</summary>
    public object? Script(string script, params object[] arguments) =>
        ((IJavaScriptExecutor)Driver).ExecuteScript(script, arguments);

    /// <summary>A PNG screenshot of the viewport, written to <paramref name="path"/> (folders created).</summary>
    public string Screenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ((ITakesScreenshot)Driver).GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            _profile.Dispose();
        }
    }
}
