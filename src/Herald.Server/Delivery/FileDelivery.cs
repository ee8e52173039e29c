using System.Text.Json.Nodes;
using Herald.Server.Configs;
using Herald.Server.Egress;
using Herald.Server.Environments;
using Herald.Server.Events;
using Herald.Server.Expressions;
using Herald.Server.Files;
using Herald.Server.Http;
using Herald.Server.ReceiverAuth;
using Jsonata;

namespace Herald.Server.Delivery;

/// <summary>
/// The config's <c>deliveryMode</c> (wire-format section 2, file events): <c>json_base64</c> adds the attachments'
/// bytes to the body before the transform; <c>binary_multipart</c> replaces the transform and the JSON body with a
/// multipart form of the picked files and the extra fields. Files come from <see cref="FileStore"/>.
/// </summary>
public sealed partial class FileDelivery(
    FileStore files, JsonataRuntime runtime, EnvironmentValues environment, RequestBuilder requests, EgressOptions egress, TimeProvider time, ILogger<FileDelivery> logger)
{
    public const string JsonBase64 = "json_base64";
    public const string BinaryMultipart = "binary_multipart";
    public const string NoFileAttachments = "NO_FILE_ATTACHMENTS";

    public static bool IsMultipart(WebhookConfig config) => config.DeliveryMode == BinaryMultipart;

    public static bool IsJsonBase64(WebhookConfig config) => config.DeliveryMode == JsonBase64;

    /// <summary>
    /// <c>json_base64</c>: downloads every item of <c>event_attachments</c> and adds <c>file_data</c>, one
    /// <c>{base64, mime_type, filename, size_bytes}</c> per attachment in order. Every item is checked before the
    /// first is read: at most <c>Files:MaxAttachmentsPerEvent</c> of them, each one <paramref name="organization"/>
    /// may read. The files of one event may hold at most <c>Files:MaxInlineBytes</c> together, each at most
    /// <c>Files:MaxBytes</c>.
    /// </summary>
    public async Task<Prepared.Fail?> AddFileDataAsync(OrganizationId organization, JsonObject input, CancellationToken cancellationToken)
    {
        var data = new JsonArray();
        if (input["event_attachments"] is JsonArray attachments)
        {
            var references = new List<FileReference>();
            for (var i = 0; i < attachments.Count; i++)
            {
                var (file, problem) = FileReference.From(attachments[i], $"event_attachments[{i}]");
                if (file is null)
                {
                    return new Prepared.Fail(DeliveryCode.InternalError, $"{problem}; the event names no file to read", Retryable: false);
                }
                references.Add(file);
            }
            if (Refusal(organization, references, "The event has") is { } refused)
            {
                return refused;
            }
            var limit = files.Options.MaxInlineBytes;
            long used = 0;
            foreach (var file in references)
            {
                using var buffer = new MemoryStream();
                long length;
                try
                {
                    length = await files.CopyAsync(organization, file, buffer, cancellationToken, limit - used,
                        FileStore.BudgetLeft("Files:MaxInlineBytes", limit, used, "what json_base64 holds"));
                }
                catch (FileFetchException e)
                {
                    return Failed(e);
                }
                used += length;
                data.Add(new JsonObject
                {
                    ["base64"] = Convert.ToBase64String(buffer.GetBuffer(), 0, (int)buffer.Length),
                    ["mime_type"] = file.MimeType,
                    ["filename"] = file.Filename,
                    ["size_bytes"] = length,
                });
            }
        }
        input["file_data"] = data;
        return null;
    }

    /// <summary>
    /// <c>binary_multipart</c> from the shaped input: <c>fileSource</c> picks the attachments (none skips the event
    /// with <c>NO_FILE_ATTACHMENTS</c>), <c>extraFields</c> make the other fields; then <see cref="SendFormAsync"/>.
    /// </summary>
    public async Task<Prepared> MultipartAsync(ConfigRecord config, ConfigSecrets secrets, JsonObject input, string? hydration, SecretMask mask, CancellationToken cancellationToken)
    {
        var multipart = config.Document.MultipartConfig ?? new MultipartConfig();
        var source = string.IsNullOrWhiteSpace(multipart.FileSource) ? "event_attachments" : multipart.FileSource;
        var (picked, pickFailure) = Evaluate(source, input, "multipartConfig.fileSource");
        if (pickFailure is not null)
        {
            return pickFailure;
        }
        var items = picked switch
        {
            null => [],
            JsonArray array => array.ToList(),
            var one => [one],
        };
        if (items.Count == 0)
        {
            return new Prepared.Skip($"multipartConfig.fileSource ({source}) picked no attachment; nothing was sent", hydration, NoFileAttachments);
        }
        var strategy = multipart.FileFieldStrategy ?? "single";
        if (strategy == "single" && items.Count > 1)
        {
            return new Prepared.Fail(
                DeliveryCode.InternalError,
                $"multipartConfig.fileFieldStrategy is single but multipartConfig.fileSource picked {items.Count} attachments; set fileFieldStrategy to multi or make fileSource pick one (nothing was sent)",
                Retryable: false);
        }
        var fieldName = string.IsNullOrEmpty(multipart.FileFieldName) ? "file" : multipart.FileFieldName;
        var parts = new List<FormFile>();
        for (var i = 0; i < items.Count; i++)
        {
            var (file, problem) = FileReference.From(items[i], $"multipartConfig.fileSource result[{i}]");
            if (file is null)
            {
                return new Prepared.Fail(DeliveryCode.InternalError, $"{problem}; fileSource must pick event_attachments items", Retryable: false);
            }
            parts.Add(new FormFile(fieldName, file));
        }
        var fields = new List<KeyValuePair<string, string>>();
        // By name: PostgreSQL keeps a config's JSON without its key order, and the form must not depend on the engine.
        foreach (var (name, expression) in (multipart.ExtraFields ?? []).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var (value, failure) = Evaluate(expression, input, $"multipartConfig.extraFields.{name}");
            if (failure is not null)
            {
                return failure;
            }
            switch (value)
            {
                case null:
                    break;
                case JsonValue scalar when scalar.TryGetValue<string>(out var text):
                    fields.Add(KeyValuePair.Create(name, text));
                    break;
                default:
                    fields.Add(KeyValuePair.Create(name, value.ToJsonString()));
                    break;
            }
        }
        return await SendFormAsync(new MultipartForm(fields, parts), config, secrets, hydration, mask, cancellationToken, "multipartConfig.fileSource picked");
    }

    /// <summary>
    /// The request for <paramref name="form"/>: its files checked against the config's organization and the count
    /// limit (a recorded form too, since the settings may have changed; <paramref name="picked"/> names where the
    /// files came from), extra fields env-resolved like custom headers, the request around it built as for any
    /// delivery, then every file spooled and hashed (<see cref="SpooledForm"/>).
    /// </summary>
    public async Task<Prepared> SendFormAsync(
        MultipartForm form, ConfigRecord config, ConfigSecrets secrets, string? hydration, SecretMask mask, CancellationToken cancellationToken, string picked = "The recorded form has")
    {
        if (Refusal(config.OrgId, form.Files.Select(f => f.File).ToList(), picked) is { } refused)
        {
            return refused;
        }
        var names = form.Fields.SelectMany(f => EnvReferences.NamesIn(f.Value)).ToHashSet(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> values = names.Count == 0
            ? new Dictionary<string, string>()
            : await environment.ForAsync(config.OrgId, names, mask, cancellationToken);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (name, text) in form.Fields)
        {
            var resolved = EnvReferences.Resolve(text, wholeValue: false, values, egress.MaxRequestHeaderBytes);
            if (resolved.TooLong)
            {
                return new Prepared.Fail(DeliveryCode.InternalError, $"multipartConfig.extraFields.{name} would resolve to more than {egress.MaxRequestHeaderBytes} characters, the most {RequestHeaders.Setting} allows any field with env references", Retryable: false);
            }
            if (resolved.Error is { } error)
            {
                return new Prepared.Fail(DeliveryCode.EnvVariableNotFound, $"multipartConfig.extraFields.{name} {error}", Retryable: false);
            }
            fields.Add(KeyValuePair.Create(name, resolved.Value ?? ""));
        }

        var method = config.Document.HttpMethod ?? "POST";
        var built = await requests.BuildAsync(config, secrets, method, [], mask, cancellationToken);
        if (built.Failure is { } failure)
        {
            return failure;
        }
        SpooledForm body;
        try
        {
            body = await SpooledForm.CreateAsync(files, config.OrgId, fields, form.Files, cancellationToken);
        }
        catch (FileFetchException e)
        {
            return Failed(e);
        }
        catch (SpoolFullException e)
        {
            // No fault of the event: it goes back to the queue without an attempt, and tries again when other
            // attempts have given their room back.
            LogSpoolFull(logger, config.Id, e.Message);
            throw new SendDeferredException(time.GetUtcNow() + SendDeferredException.NodeDelay, SendDeferredException.Reasons.Spool);
        }
        return new Prepared.Send(built.Request! with { Streamed = body }, form.ToJson(), null, hydration);
    }

    /// <summary>What a file that could not be read does to the attempt.</summary>
    internal static Prepared.Fail Failed(FileFetchException e) => e.Failure switch
    {
        FileFailure.NotConfigured => new(DeliveryCode.FileSourceNotConfigured, e.Message, Retryable: false),
        FileFailure.NotFound => new(DeliveryCode.FileNotFound, e.Message, Retryable: false),
        FileFailure.TooLarge => new(DeliveryCode.FileTooLarge, e.Message, Retryable: false, StatusCode: 413),
        FileFailure.Refused => new(DeliveryCode.FileRefused, e.Message, Retryable: false),
        FileFailure.NotAllowed => new(DeliveryCode.FileNotAllowed, e.Message, Retryable: false),
        FileFailure.TooMany => new(DeliveryCode.TooManyFiles, e.Message, Retryable: false),
        _ => new(DeliveryCode.FileUnavailable, e.Message, Retryable: true),
    };

    /// <summary>Why the delivery may not read <paramref name="references"/> (checked before any is read), or null.</summary>
    private Prepared.Fail? Refusal(OrganizationId organization, IReadOnlyList<FileReference> references, string picked)
    {
        try
        {
            files.Admit(organization, references, picked);
            return null;
        }
        catch (FileFetchException e)
        {
            return Failed(e);
        }
    }

    private (JsonNode? Value, Prepared.Fail? Failure) Evaluate(string expression, JsonObject input, string field)
    {
        try
        {
            var result = runtime.Evaluate(runtime.Compiled(expression), input);
            if (result.IsUndefined)
            {
                return (null, null);
            }
            if (result.IsFunction)
            {
                return (null, new Prepared.Fail(DeliveryCode.InternalError, $"{field} produced a function, not JSON", Retryable: false));
            }
            return (result.ToJsonNode(), null);
        }
        catch (JsonataException e)
        {
            return (null, new Prepared.Fail(DeliveryCode.InternalError, $"{field} failed: {JsonataRuntime.Describe(e)}", Retryable: false));
        }
    }

    [LoggerMessage(EventId = 260, Level = LogLevel.Warning, Message = "Config {ConfigId}: {Reason}; the job goes back to the queue without an attempt")]
    private static partial void LogSpoolFull(ILogger logger, ConfigId configId, string reason);
}
