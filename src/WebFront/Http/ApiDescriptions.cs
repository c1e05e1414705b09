using Microsoft.OpenApi;

namespace OrleansChat.WebFront.Http;

/// <summary>
/// What the OpenAPI document says about an endpoint: its JSON body, its query parameters, its answers and the
/// problems it can give. Only metadata: handlers read bodies and queries themselves (JsonBody, QueryParams) so that
/// spec §3's status codes stay exact; an IAcceptsMetadata would make routing answer 415 before the handler.
/// </summary>
public static class ApiDescriptions
{
    /// <summary>Problems every authenticated endpoint can give (spec §3).</summary>
    private static readonly int[] Always = [401, 503];

    /// <summary>Problems of an endpoint that reads a JSON body.</summary>
    private static readonly int[] BodyProblems = [400, 413, 415, 422];

    public static RouteHandlerBuilder JsonBody<TBody>(this RouteHandlerBuilder endpoint, bool optional = false) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !optional,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        }).Problems(BodyProblems);

    /// <summary>A multipart/form-data body with one binary part named <paramref name="part"/>.</summary>
    public static RouteHandlerBuilder MultipartFile(this RouteHandlerBuilder endpoint, string part) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { part },
                            Properties = new Dictionary<string, IOpenApiSchema> { [part] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                        },
                    },
                },
            };
            return Task.CompletedTask;
        }).Problems(400, 413, 415, 422);

    /// <summary>A file's bytes (200 whole, 206 a range), plus the problems every endpoint has.</summary>
    public static RouteHandlerBuilder AnswersFile(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "application/octet-stream")
            .Problems(Always).Problems(416);

    public static RouteHandlerBuilder Query(this RouteHandlerBuilder endpoint, string name, JsonSchemaType type, string description) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Schema = new OpenApiSchema { Type = type },
            });
            return Task.CompletedTask;
        });

    /// <summary>A JSON answer of <typeparamref name="T"/> with the given statuses, plus the problems every endpoint has.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses.Length == 0 ? [200] : statuses)
        {
            endpoint.Produces<T>(status, "application/json");
        }
        return endpoint.Problems(Always);
    }

    /// <summary>An empty 204 answer, plus the problems every endpoint has.</summary>
    public static RouteHandlerBuilder AnswersNoContent(this RouteHandlerBuilder endpoint) =>
        endpoint.Produces(StatusCodes.Status204NoContent).Problems(Always);

    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder endpoint, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            // 422 answers carry "errors": {"field": [...]} (spec §3).
            _ = status == StatusCodes.Status422UnprocessableEntity ? endpoint.ProducesValidationProblem(status) : endpoint.ProducesProblem(status);
        }
        return endpoint;
    }
}
