using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Herald.Webhooks.Verification;

/// <summary>
/// An endpoint filter that lets only verified Herald deliveries reach the handler. It reads the raw body (buffered,
/// so the handler can read or bind it again), verifies it with <see cref="HeraldWebhookVerifier"/> and answers
/// <c>401</c> with <c>{"message": ...}</c> when verification fails, <c>413</c> past
/// <see cref="HeraldWebhookOptions.MaxBodyBytes"/>. A <c>multipart/form-data</c> request (a <c>binary_multipart</c>
/// delivery) is verified from its file parts and <see cref="HeraldWebhookOptions.MultipartAttachments"/>. The verified
/// message is available to the handler through <see cref="HeraldSignatureEndpointExtensions.GetVerifiedWebhook"/>.
/// </summary>
public sealed class HeraldSignatureFilter : IEndpointFilter
{
    internal static readonly object ItemKey = new();

    private readonly HeraldWebhookVerifier _verifier;
    private readonly long _maxBodyBytes;
    private readonly Func<IFormCollection, IReadOnlyList<HeraldAttachment>>? _multipartAttachments;

    /// <summary>A filter trusting the secrets and keys of <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The options are not usable (see <see cref="HeraldWebhookVerifier"/>), or <see cref="HeraldWebhookOptions.MaxBodyBytes"/> is not positive.</exception>
    public HeraldSignatureFilter(HeraldWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBodyBytes <= 0)
        {
            throw new ArgumentException("HeraldWebhookOptions.MaxBodyBytes must be positive", nameof(options));
        }
        _verifier = new HeraldWebhookVerifier(options);
        _maxBodyBytes = options.MaxBodyBytes;
        _multipartAttachments = options.MultipartAttachments;
    }

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = http.Request;
        if (request.ContentLength > _maxBodyBytes)
        {
            return TooLarge();
        }
        try
        {
            var verified = request.HasFormContentType && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
                ? await VerifyMultipartAsync(request, http.RequestAborted).ConfigureAwait(false)
                : await VerifyBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
            if (verified is null)
            {
                return TooLarge();
            }
            http.Items[ItemKey] = verified;
        }
        catch (WebhookVerificationException e)
        {
            return Results.Json(new ErrorMessage(e.Message), statusCode: StatusCodes.Status401Unauthorized);
        }
        return await next(context).ConfigureAwait(false);
    }

    private async Task<VerifiedWebhook?> VerifyBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        request.Body.Position = 0;
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > _maxBodyBytes)
            {
                return null;
            }
            body.Write(buffer, 0, read);
        }
        request.Body.Position = 0;
        return _verifier.Verify(Header(request, HeraldWebhookVerifier.IdHeader), Header(request, HeraldWebhookVerifier.TimestampHeader),
            Header(request, HeraldWebhookVerifier.SignatureHeader), body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    private async Task<VerifiedWebhook?> VerifyMultipartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (_multipartAttachments is null)
        {
            throw new WebhookVerificationException("A multipart delivery (binary_multipart) is verified from its files and their attachments: set HeraldWebhookOptions.MultipartAttachments");
        }
        var limits = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limits is { IsReadOnly: false })
        {
            limits.MaxRequestBodySize = _maxBodyBytes;
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = _maxBodyBytes }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        IReadOnlyList<HeraldAttachment> attachments;
        try
        {
            attachments = _multipartAttachments(form);
        }
        catch (ArgumentException e)
        {
            throw new WebhookVerificationException($"HeraldWebhookOptions.MultipartAttachments could not name the attachments: {e.Message}", e);
        }
        if (attachments.Count != form.Files.Count)
        {
            throw new WebhookVerificationException($"The form has {form.Files.Count} file parts but HeraldWebhookOptions.MultipartAttachments named {attachments.Count} attachments");
        }
        var files = new List<HeraldSignedFile>();
        for (var i = 0; i < form.Files.Count; i++)
        {
            await using var content = form.Files[i].OpenReadStream();
            files.Add(await HeraldSignedFile.FromStreamAsync(content, attachments[i], cancellationToken).ConfigureAwait(false));
        }
        if (files.Count == 0)
        {
            throw new WebhookVerificationException("The multipart request has no file part; a binary_multipart delivery always has one");
        }
        return _verifier.VerifyMultipart(Header(request, HeraldWebhookVerifier.IdHeader), Header(request, HeraldWebhookVerifier.TimestampHeader),
            Header(request, HeraldWebhookVerifier.SignatureHeader), files);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : values.Count > 1 ? string.Join(' ', values.ToArray()) : null;

    private IResult TooLarge() =>
        Results.Json(new ErrorMessage($"The request body is larger than {_maxBodyBytes} bytes, the most HeraldWebhookOptions.MaxBodyBytes allows"), statusCode: StatusCodes.Status413PayloadTooLarge);

    private sealed record ErrorMessage(string Message);
}
