using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jsonata.Bench;

/// <summary>The Node runner's first answer for one expression: its result as JSON text (null when undefined), or its error.</summary>
internal sealed record NodeResult(string? Result, int Batch, string? Error);

/// <summary>
/// jsonata-js on Node: installs the npm package into a git-ignored folder when it is not there yet, then runs
/// <c>runner.mjs</c> as a child process that evaluates, warms up and times one expression per request.
/// </summary>
internal sealed class NodeSide : IDisposable
{
    public const string PackageVersion = "2.2.2";

    private readonly Process _process;

    private NodeSide(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    /// <summary>For the header, e.g. <c>jsonata 2.2.2 on Node v20.20.2</c>.</summary>
    public string Description { get; }

    /// <summary>Starts the runner, or returns null and says why on stderr when Node, npm or the package are unavailable.</summary>
    public static NodeSide? TryStart(string installDirectory, string workloadPath)
    {
        if (Run("node", ["--version"]) is not { ExitCode: 0 })
        {
            Console.WriteLine("node was not found on PATH: jsonata-js cannot be timed; only this engine is measured.");
            return null;
        }

        if (!IsInstalled(installDirectory))
        {
            Console.WriteLine($"Installing jsonata@{PackageVersion} from npm into {installDirectory} ...");
            Directory.CreateDirectory(installDirectory);
            var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
            var install = Run(npm, ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", installDirectory, $"jsonata@{PackageVersion}"]);
            if (install is not { ExitCode: 0 } || !IsInstalled(installDirectory))
            {
                Console.WriteLine(install == null
                    ? "npm was not found on PATH: jsonata-js cannot be installed; only this engine is measured."
                    : $"npm install jsonata@{PackageVersion} failed (exit {install.Value.ExitCode}): {install.Value.Output.Trim()}\nOnly this engine is measured.");
                return null;
            }
        }

        var runner = Path.Combine(AppContext.BaseDirectory, "runner.mjs");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        // this engine reads timestamps without an offset as UTC, jsonata-js in the host's zone: run it in UTC
        start.Environment["TZ"] = "UTC";
        start.ArgumentList.Add(runner);
        start.ArgumentList.Add(workloadPath);
        start.ArgumentList.Add(installDirectory);
        var process = Process.Start(start)!;
        var hello = process.StandardOutput.ReadLine();
        if (hello == null || JsonNode.Parse(hello) is not JsonObject ready || ready["ready"]?.GetValue<bool>() != true)
        {
            process.Kill();
            process.Dispose();
            Console.WriteLine("The Node runner did not start; only this engine is measured.");
            return null;
        }

        return new NodeSide(process, $"jsonata {ready["jsonata"]} on Node {ready["node"]}");
    }

    /// <summary>Has the runner evaluate case <paramref name="index"/> once, warm it up and size its batch.</summary>
    public NodeResult Prepare(int index)
    {
        var answer = Ask($"prepare {index}");
        return answer["error"] is { } error
            ? new NodeResult(null, 0, error.GetValue<string>())
            : new NodeResult(answer["result"]?.GetValue<string>(), answer["batch"]!.GetValue<int>(), null);
    }

    /// <summary>Has the runner time one batch of case <paramref name="index"/>: microseconds per evaluation.</summary>
    public double Sample(int index) => Ask($"sample {index}")["micros"]!.GetValue<double>();

    private JsonObject Ask(string request)
    {
        _process.StandardInput.WriteLine(request);
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The Node runner exited early.");
        return JsonNode.Parse(line)!.AsObject();
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static bool IsInstalled(string directory)
    {
        var manifest = Path.Combine(directory, "node_modules", "jsonata", "package.json");
        return File.Exists(manifest) && JsonNode.Parse(File.ReadAllText(manifest))?["version"]?.GetValue<string>() == PackageVersion;
    }

    /// <summary>Runs a command to completion; null when the program does not exist.</summary>
    private static (int ExitCode, string Output)? Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout + stderr.Result);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
