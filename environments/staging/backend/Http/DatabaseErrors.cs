using Npgsql;
using Replica.Staging.Backend.Database;

namespace Replica.Staging.Backend.Http;

/// <summary>A request that needs the database answers 503 with the reason when it is not there, instead of a 500.</summary>
public static class DatabaseErrors
{
    public static async Task<IResult> GuardAsync(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (DatabaseUnavailableException ex)
        {
            return Results.Json(new { detail = $"Database unavailable: {ex.Message}" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (NpgsqlException ex)
        {
            return Results.Json(new { detail = $"Database error: {DatabaseManager.Describe(ex)}" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
