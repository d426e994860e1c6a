using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using Replica.Staging.Backend.Configuration;

namespace Replica.Staging.Backend.Database;

/// <summary>
/// Owns the PostgreSQL engine (an Npgsql data source) and its initialisation: reach the server, create the schema.
/// Incident R1 lives here. Seed: <see cref="GetEngine"/> is staging's synchronous accessor with its auto-initialisation
/// hotfix — it schedules an initialisation and sleeps on the calling thread, but the scheduled work could only run on
/// that same thread (an event loop in staging) once the call returned, so the sleep never helps and the call throws.
/// Fixed: <see cref="InitializeAsync"/> is one shared initialisation under a lock, retried until the database answers,
/// which every caller awaits before using the engine.
/// </summary>
public sealed class DatabaseManager : IAsyncDisposable
{
    private readonly BackendSettings _settings;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _attemptLock = new(1, 1);
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _sharedLock = new();
    private Task? _shared;

    public DatabaseManager(BackendSettings settings, ILogger logger)
    {
        _settings = settings;
        _logger = logger;
        // Building the data source opens nothing: the first connection is made by the first initialisation attempt.
        _dataSource = NpgsqlDataSource.Create(PostgresUrl.ToConnectionString(settings.DatabaseUrl, settings.DatabaseConnectTimeout));
    }

    public bool IsInitialized => _initialized.Task.IsCompleted;

    /// <summary>Completes once the database is initialised: the "database session factory" others wait for.</summary>
    public Task Initialized => _initialized.Task;

    /// <summary>Why the last initialisation attempt failed (null before any attempt and after success).</summary>
    public string? LastError { get; private set; }

    /// <summary>One attempt, as staging's initialize(): connect within DATABASE_CONNECT_TIMEOUT and create the schema.</summary>
    public async Task<bool> TryInitializeOnceAsync(CancellationToken cancellationToken)
    {
        // Attempts never overlap: two concurrent CREATE TABLE IF NOT EXISTS can still collide in PostgreSQL's catalog.
        await _attemptLock.WaitAsync(cancellationToken);
        try
        {
            if (IsInitialized)
            {
                return true;
            }
            var clock = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_settings.DatabaseConnectTimeout);
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(deadline.Token);
                await using var command = new NpgsqlCommand(DatabaseSchema.Create, connection);
                await command.ExecuteNonQueryAsync(deadline.Token);
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException or OperationCanceledException
                                       && !cancellationToken.IsCancellationRequested)
            {
                // Npgsql reports its own deadline in several ways (cancelled, or a timeout inside an NpgsqlException).
                LastError = deadline.IsCancellationRequested
                    ? $"no answer within DATABASE_CONNECT_TIMEOUT {DurationSetting.Format(_settings.DatabaseConnectTimeout)}"
                    : Describe(ex);
                return false;
            }
            LastError = null;
            _initialized.TrySetResult();
            _logger.LogInformation("database: initialized (schema ready) in {Elapsed} ms", clock.ElapsedMilliseconds);
            return true;
        }
        finally
        {
            _attemptLock.Release();
        }
    }

    /// <summary>
    /// R1 seed: the synchronous accessor as staging had it after its auto-initialisation hotfix. Throws
    /// <see cref="DatabaseUnavailableException"/> "DatabaseManager not initialized and auto-initialization failed ..."
    /// whenever the database is not initialised yet.
    /// </summary>
    public NpgsqlDataSource GetEngine()
    {
        if (IsInitialized)
        {
            return _dataSource;
        }
        // The hotfix "schedules" initialisation on the thread that is about to sleep: it can only start after we return.
        var scheduled = new Task(() => _ = TryInitializeOnceAsync(CancellationToken.None));
        Thread.Sleep(_settings.DatabaseAutoInitWait);
        if (IsInitialized)
        {
            // Only an initialisation already in flight elsewhere can have finished meanwhile.
            return _dataSource;
        }
        scheduled.Start();
        throw new DatabaseUnavailableException(
            "DatabaseManager not initialized and auto-initialization failed - initialization was scheduled but did not complete " +
            $"within {DurationSetting.Format(_settings.DatabaseAutoInitWait)} (last error: {LastError ?? "none"})");
    }

    /// <summary>
    /// R1 fixed: the one shared initialisation — started by the first caller, awaited by all — retried every
    /// DATABASE_RETRY_INTERVAL until it succeeds or DATABASE_INIT_TIMEOUT passes (then it fails; a later call starts anew).
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (IsInitialized)
        {
            return Task.CompletedTask;
        }
        Task shared;
        lock (_sharedLock)
        {
            if (_shared is null || _shared.IsFaulted)
            {
                _shared = InitializeWithRetriesAsync();
            }
            shared = _shared;
        }
        return shared.WaitAsync(cancellationToken);
    }

    private async Task InitializeWithRetriesAsync()
    {
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        while (!await TryInitializeOnceAsync(CancellationToken.None))
        {
            attempts++;
            if (attempts == 1)
            {
                _logger.LogInformation(
                    "R1: database not ready ({Error}); fixed: every caller awaits one shared initialization (retry every {Interval}, up to {Timeout})",
                    LastError, DurationSetting.Format(_settings.DatabaseRetryInterval), DurationSetting.Format(_settings.DatabaseInitTimeout));
            }
            if (clock.Elapsed + _settings.DatabaseRetryInterval > _settings.DatabaseInitTimeout)
            {
                throw new DatabaseUnavailableException(
                    $"Database initialization did not complete within {DurationSetting.Format(_settings.DatabaseInitTimeout)} ({attempts} attempts; last error: {LastError})");
            }
            await Task.Delay(_settings.DatabaseRetryInterval);
        }
        if (attempts > 0)
        {
            _logger.LogInformation("R1: fixed: shared database initialization completed after {Attempts} failed attempts ({Elapsed} ms)", attempts, clock.ElapsedMilliseconds);
        }
    }

    /// <summary>The engine for a request, the way the selected R1 path gets it.</summary>
    public async ValueTask<NpgsqlDataSource> EngineAsync(CancellationToken cancellationToken)
    {
        if (IsInitialized)
        {
            return _dataSource;
        }
        if (_settings.R1DatabaseManager == IncidentMode.Seed)
        {
            return GetEngine();
        }
        await InitializeAsync(cancellationToken);
        return _dataSource;
    }

    /// <summary>
    /// SELECT 1 for health checks; never waits for initialisation. Under seed it goes through <see cref="GetEngine"/>,
    /// as staging's checks did, and so answers with its error while the database is not initialised.
    /// </summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var engine = IsInitialized ? _dataSource
            : _settings.R1DatabaseManager == IncidentMode.Seed ? GetEngine()
            : throw new DatabaseUnavailableException($"Database initialization has not completed (last error: {LastError ?? "none"})");
        var clock = Stopwatch.StartNew();
        await using var command = engine.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>A database failure in a few words (SQLSTATE and the server's message, or what the connection did).</summary>
    public static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        NpgsqlException { InnerException: TimeoutException } => "connect timeout",
        _ => ex.Message,
    };

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
