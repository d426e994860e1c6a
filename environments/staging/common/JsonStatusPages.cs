using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Replica.Staging.Common;

/// <summary>
/// Staging answered every error with a JSON body ({"detail":"Not Found"}, {"detail":"Method Not Allowed"}); ASP.NET
/// Core sends 404/405 with an empty one. This fills in the body for any error status nothing else wrote.
/// </summary>
public static class JsonStatusPages
{
    public static WebApplication UseJsonStatusPages(this WebApplication app)
    {
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            await response.WriteAsJsonAsync(new Dictionary<string, string> { ["detail"] = ReasonPhrases.GetReasonPhrase(response.StatusCode) },
                StagingJsonContext.Http.DictionaryStringString);
        });
        return app;
    }
}
