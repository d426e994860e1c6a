using Npgsql;
using Replica.Staging.Backend.Database;
using Replica.Staging.Common;

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
            return JsonResults.Detail($"Database unavailable: {ex.Message}", StatusCodes.Status503ServiceUnavailable);
        }
        catch (NpgsqlException ex)
        {
            return JsonResults.Detail($"Database error: {DatabaseManager.Describe(ex)}", StatusCodes.Status503ServiceUnavailable);
        }
    }
}
