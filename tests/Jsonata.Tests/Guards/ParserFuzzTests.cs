using System.Diagnostics;

namespace Jsonata.Tests.Guards;

/// <summary>
/// Ten thousand random and deeply nested expressions (token soup, nesting up to tens of thousands of levels,
/// unbalanced brackets, long operator chains) in a fresh process of their own: each compiles or throws
/// <see cref="JsonataException"/>, and so does its guarded evaluation. A stack overflow would end the process, so
/// the process itself is the test subject: it must exit 0 having reported every case.
/// </summary>
public class ParserFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 10_000;

    // fixed, so a failure can be replayed: dotnet Jsonata.Fuzz.dll 10000 <seed>
    private const int Seed = 20_261_205;

    [Fact]
    public async Task Ten_thousand_random_and_deeply_nested_expressions_compile_or_fail_cleanly_in_a_cold_process()
    {
        var start = new ProcessStartInfo(Herald.Testing.DotnetHost.Path())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FuzzProgram());
        start.ArgumentList.Add(Cases.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        var errors = await stderr;
        output.WriteLine(text);
        var tail = string.Join('\n', errors.Split('\n').Take(20));
        Assert.True(process.ExitCode == 0, $"The fuzz process (seed {Seed}) exited with {process.ExitCode}:\n{text}\n{tail}");
        Assert.Contains($"cases={Cases} ", text, StringComparison.Ordinal);
    }

    private static string FuzzProgram()
    {
        // tests/Jsonata.Tests/bin/{Configuration}/{tfm}/ -> tests/Jsonata.Fuzz/bin/{Configuration}/{tfm}/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Jsonata.Fuzz", "bin", configuration, framework, "Jsonata.Fuzz.dll");
        Assert.True(File.Exists(path), $"The fuzz program is not built at {path}");
        return path;
    }
}
