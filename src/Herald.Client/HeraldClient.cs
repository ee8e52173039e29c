using System.Text.Json;
using System.Text.Json.Serialization;

namespace Herald.Client;

/// <summary>
/// Herald's API, one method per operation of its OpenAPI document, named after the operation's <c>operationId</c>;
/// each has an overload taking a <see cref="CancellationToken"/>. An answer other than the documented success throws
/// <see cref="HeraldApiException"/> with the status code and Herald's <c>{"message": ...}</c> body. The operations
/// are generated at build time from <c>herald.openapi.json</c>; this part holds what the generator cannot say.
/// </summary>
public partial class HeraldClient
{
    static partial void UpdateJsonSerializerSettings(JsonSerializerOptions settings) =>
        // A property left unset is left out of the request: Herald refuses some nulls (a null in a read-only field),
        // and for updateConfig an absent secret means "keep it".
        settings.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
}
