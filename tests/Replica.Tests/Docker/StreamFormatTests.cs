using System.Buffers.Binary;
using System.Text;
using Replica.Environments.Docker;

namespace Replica.Tests.Docker;

/// <summary>The engine's two stream formats, split at every byte (no engine needed).</summary>
[Trait("Category", "Docker")]
public sealed class StreamFormatTests
{
    [Fact]
    public async Task Multiplexed_frames_are_read_whole_however_the_bytes_arrive()
    {
        var bytes = Frames((1, "out one\n"), (2, "err one\n"), (1, ""), (1, new string('x', 70_000)), (2, "last"));

        var frames = new List<LogFrame>();
        await foreach (var frame in MultiplexedStreamReader.ReadFramesAsync(new ByteAtATimeStreamFake(bytes)))
        {
            frames.Add(frame);
        }

        Assert.Equal(
            [(LogStream.Stdout, "out one\n"), (LogStream.Stderr, "err one\n"), (LogStream.Stdout, ""), (LogStream.Stdout, new string('x', 70_000)), (LogStream.Stderr, "last")],
            frames.Select(f => (f.Stream, f.Text)));
    }

    [Fact]
    public async Task A_stream_cut_inside_a_frame_is_an_error_not_a_silent_truncation()
    {
        var bytes = Frames((1, "complete"), (2, "cut short"))[..^3];

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in MultiplexedStreamReader.ReadFramesAsync(new MemoryStream(bytes)))
            {
            }
        });

        Assert.Contains("ended inside a frame (6 of 9 bytes)", error.Message);
    }

    [Fact]
    public async Task Build_messages_split_anywhere_yield_the_output_lines_the_image_id_and_the_error()
    {
        var stream = """
            {"stream":"Step 1/2 : FROM base\n"}
            {"stream":" ---> abc\n"}{"stream":"Step 2/2 : RUN make\n"}
            {"stream":"compiling"}{"stream":" a.c\nlinking\n"}
            {"aux":{"ID":"sha256:0123"}}
            {"errorDetail":{"message":"The command '/bin/sh -c make' returned a non-zero code: 2"},"error":"The command '/bin/sh -c make' returned a non-zero code: 2"}
            """;
        var lines = new List<string>();

        var result = await JsonMessageStream.ReadAsync(new ByteAtATimeStreamFake(Encoding.UTF8.GetBytes(stream)), new ListProgress(lines), CancellationToken.None);

        Assert.Equal(["Step 1/2 : FROM base", " ---> abc", "Step 2/2 : RUN make", "compiling a.c", "linking"], lines);
        Assert.Equal(lines, result.LastLines);
        Assert.Equal("sha256:0123", result.ImageId);
        Assert.Equal("The command '/bin/sh -c make' returned a non-zero code: 2", result.Error);
    }

    [Fact]
    public async Task Pull_progress_becomes_lines_and_a_clean_stream_has_no_error()
    {
        var stream = "{\"status\":\"Pulling from library/redis\",\"id\":\"7\"}\r\n{\"status\":\"Download complete\",\"id\":\"a1\",\"progressDetail\":{}}\r\n";
        var lines = new List<string>();

        var result = await JsonMessageStream.ReadAsync(new ByteAtATimeStreamFake(Encoding.UTF8.GetBytes(stream)), new ListProgress(lines), CancellationToken.None);

        Assert.Equal(["7: Pulling from library/redis", "a1: Download complete"], lines);
        Assert.Null(result.Error);
        Assert.Null(result.ImageId);
    }

    private static byte[] Frames(params (byte Stream, string Text)[] frames)
    {
        var output = new MemoryStream();
        foreach (var (stream, text) in frames)
        {
            var payload = Encoding.UTF8.GetBytes(text);
            var header = new byte[8];
            header[0] = stream;
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)payload.Length);
            output.Write(header);
            output.Write(payload);
        }

        return output.ToArray();
    }
}
