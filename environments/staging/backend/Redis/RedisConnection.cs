using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;

namespace Replica.Staging.Backend.Redis;

/// <summary>
/// One TCP connection to Redis, pipelined: commands are written in order under a lock and their replies matched in
/// the same order by a single reader. When the connection ends, every command still waiting fails with
/// <see cref="RedisConnectionException"/> and <see cref="Closed"/> completes with the reason. Never reconnects itself:
/// <see cref="RedisClient"/> does that.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly RespReader _reader;
    private readonly RedisEndpoint _endpoint;
    private readonly Action<string, string>? _onMessage;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentQueue<TaskCompletionSource<object?>> _pending = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _readLoop = Task.CompletedTask;

    private RedisConnection(Socket socket, RedisEndpoint endpoint, Action<string, string>? onMessage)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new RespReader(_stream);
        _endpoint = endpoint;
        _onMessage = onMessage;
    }

    /// <summary>Completes with the reason when the connection has ended.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>
    /// Connects, logs in, selects the database and sends PING: the connection is returned only once the server has
    /// answered, all within <paramref name="timeout"/>. A connection given <paramref name="onMessage"/> is for
    /// SUBSCRIBE: pushed ["message", channel, payload] replies go to it (on the reader, so it must be quick).
    /// </summary>
    public static async Task<RedisConnection> OpenAsync(RedisEndpoint endpoint, TimeSpan timeout, Action<string, string>? onMessage, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        RedisConnection? connection = null;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, deadline.Token);
            connection = new RedisConnection(socket, endpoint, onMessage);
            connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
            if (endpoint.Password is { } password)
            {
                await connection.ExecuteAsync(endpoint.User is { } user ? ["AUTH", user, password] : ["AUTH", password], deadline.Token);
            }
            if (endpoint.Database != 0)
            {
                await connection.ExecuteAsync(["SELECT", endpoint.Database.ToString(CultureInfo.InvariantCulture)], deadline.Token);
            }
            var pong = await connection.ExecuteAsync(["PING"], deadline.Token);
            if (pong is not "PONG")
            {
                throw new RedisConnectionException($"redis {endpoint}: PING answered '{pong}'");
            }
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new RedisConnectionException($"redis {endpoint}: no answer within {timeout.TotalMilliseconds:0} ms");
            }
            if (ex is SocketException socketError)
            {
                throw new RedisConnectionException($"redis {endpoint}: {socketError.SocketErrorCode}", ex);
            }
            throw;
        }
    }

    public async Task<object?> ExecuteAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var command = RespWriter.Encode(arguments);
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (!IsOpen)
            {
                throw new RedisConnectionException($"redis {_endpoint}: connection closed ({_closed.Task.Result})");
            }
            _pending.Enqueue(reply);
            // Never cancelled half-way: a partly written command would corrupt every later one.
            await _stream.WriteAsync(command, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            Close($"write failed: {ex.Message}");
        }
        finally
        {
            _writeLock.Release();
        }
        if (!IsOpen)
        {
            // Closed between the check and the enqueue: make sure this reply is failed too.
            FailPending();
        }
        return await reply.Task.WaitAsync(cancellationToken);
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var reply = await _reader.ReadAsync(CancellationToken.None);
                if (_onMessage is not null && reply is object?[] { Length: 3 } push && push[0] is "message")
                {
                    try
                    {
                        _onMessage((string)push[1]!, (string)push[2]!);
                    }
                    catch (Exception)
                    {
                        // A subscriber's bug must not take the connection down with it.
                    }
                    continue;
                }
                if (!_pending.TryDequeue(out var waiter))
                {
                    Close("a reply arrived that no command asked for");
                    return;
                }
                if (reply is RedisServerException error)
                {
                    waiter.TrySetException(error);
                }
                else
                {
                    waiter.TrySetResult(reply);
                }
            }
        }
        catch (Exception ex)
        {
            Close(ex is EndOfStreamException ? "connection closed by the server" : ex.Message);
        }
    }

    private void Close(string reason)
    {
        if (_closed.TrySetResult(reason))
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            _socket.Dispose();
        }
        FailPending();
    }

    private void FailPending()
    {
        var reason = _closed.Task.IsCompleted ? _closed.Task.Result : "closed";
        while (_pending.TryDequeue(out var waiter))
        {
            waiter.TrySetException(new RedisConnectionException($"redis {_endpoint}: connection lost before the reply ({reason})"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Close("closed by the client");
        await _readLoop;
        _stream.Dispose();
    }
}
