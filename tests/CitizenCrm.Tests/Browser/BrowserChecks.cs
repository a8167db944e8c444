using System.Text.Json;
using Microsoft.Playwright;

namespace CitizenCrm.Tests.Browser;

/// <summary>What every browser test shares: how Debian's Chromium is launched here, and axe-core's verdict on a page.</summary>
internal static class BrowserChecks
{
    /// <summary>The flags that keep Chromium quiet on a machine without internet (no background calls home, no QUIC, no GPU).</summary>
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    /// <summary>
    /// The WCAG 2.1 A and AA rules that axe-core (from the pages' own npm packages, so nothing is downloaded) finds broken
    /// on the page as it is now, or only the serious and critical ones. Run through the DevTools protocol, which the
    /// page's Content-Security-Policy does not govern.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeViolations(IPage page, bool seriousOnly)
    {
        var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "CitizenCRM.sln"))) folder = folder.Parent;
        var axe = Path.Combine(folder?.FullName ?? ".", "src", "CitizenCrm.Server", "ClientApp", "node_modules", "axe-core", "axe.min.js");
        Assert.That(File.Exists(axe), Is.True, $"{axe} is installed by the build's npm ci");
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(await File.ReadAllTextAsync(axe));
        var result = await page.EvaluateAsync<JsonElement>("""
            async (seriousOnly) => {
                const r = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
                return { passes: r.passes.length, violations: r.violations.filter(v => !seriousOnly || v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`) };
            }
            """, seriousOnly);
        Assert.That(result.GetProperty("passes").GetInt32(), Is.GreaterThan(5), "axe-core checked the page (labels, contrast, names, landmarks...)");
        return result.GetProperty("violations").EnumerateArray().Select(v => v.GetString()!).ToList();
    }
}
