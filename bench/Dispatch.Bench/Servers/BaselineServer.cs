using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Dispatch.Bench.Servers;

/// <summary>
/// The comparison services, each a minimal ASP.NET Core app with Dispatch's claim route, Dispatch's
/// JWT validation (the same issuer, audience, key and role rule, so the same tokens work) and the
/// same JSON answers:
/// <list type="bullet">
/// <item><b>baseline</b>: claims with a conditional UPDATE on PostgreSQL through Npgsql (<see cref="BaselineStore"/>).</item>
/// <item><b>ceiling</b>: answers every claim 409 at once, with no claim work: the limit of HTTP and token validation here.</item>
/// </list>
/// </summary>
public static class BaselineServer
{
    public const string ClaimRoute = "/api/requests/{id:guid}/claim";
    private const string VolunteerPolicy = "volunteer";

    /// <param name="connectionString">The baseline's database; null for the ceiling.</param>
    public static WebApplication Build(string[] args, string signingKey, string? connectionString)
    {
        var builder = ComparisonServer.CreateBuilder(args, signingKey);
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthorizationBuilder().AddPolicy(VolunteerPolicy, policy => policy.RequireRole("volunteer"));
        if (connectionString is not null)
        {
            // Statements are prepared on first use, as a team tuning this service would set it.
            var source = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 8, AutoPrepareMinUsages = 2, MaxPoolSize = 64 };
            builder.Services.AddSingleton(NpgsqlDataSource.Create(source.ConnectionString));
        }

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => TypedResults.Ok());
        if (connectionString is null)
        {
            app.MapPost(ClaimRoute, (Guid id) => Lost("full", "Every place of this request is taken.")).RequireAuthorization(VolunteerPolicy);
        }
        else
        {
            app.MapPost(ClaimRoute, Claim).RequireAuthorization(VolunteerPolicy);
        }

        return app;
    }

    private static async Task<Results<Ok<BaselineClaim>, ProblemHttpResult>> Claim(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var volunteer = user.FindFirstValue("sub")!;
        var place = user.FindFirstValue("place")!;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // Which statement depends on the wish's places; the caller does not know them, so one-place
        // wishes are tried first with the cheaper statement, as they are nearly all of them.
        foreach (var sql in new[] { BaselineStore.ClaimOne, BaselineStore.ClaimPlace })
        {
            await using var command = new NpgsqlCommand(sql, connection)
            {
                Parameters = { new() { Value = id }, new() { Value = volunteer }, new() { Value = place } },
            };
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return TypedResults.Problem($"Request '{id}' does not exist.", statusCode: StatusCodes.Status404NotFound);
                }

                var (title, places, taken, won, community, mine) =
                    (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetBoolean(3), reader.GetString(4), !reader.IsDBNull(5) && reader.GetBoolean(5));
                if (places > 1 && sql == BaselineStore.ClaimOne)
                {
                    continue;
                }

                if (won)
                {
                    return TypedResults.Ok(new BaselineClaim(id, title, taken == places ? "claimed" : "open", places, taken, volunteer));
                }

                return community != place
                    ? TypedResults.Problem("This request belongs to another community.", statusCode: StatusCodes.Status403Forbidden)
                    : mine ? Lost("alreadyClaimed", "You already hold a claim on this request.")
                    : Lost("full", "Every place of this request is taken.");
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return Lost("alreadyClaimed", "You already hold a claim on this request.");
            }
        }

        throw new InvalidOperationException("Unreachable: the second statement answers every wish.");
    }

    private static ProblemHttpResult Lost(string reason, string detail) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status409Conflict, title: "Claim lost.", extensions: new Dictionary<string, object?> { ["reason"] = reason });
}

public sealed record BaselineClaim(Guid Id, string Title, string Status, int Places, int PlacesTaken, string Claimant);
