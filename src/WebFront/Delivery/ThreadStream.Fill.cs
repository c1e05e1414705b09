using OrleansChat.WebFront.Diagnostics;

namespace OrleansChat.WebFront.Delivery;

/// <summary>
/// The stream's repair: a batch missing past the gap timeout (or a tail a renewal revealed) is given up, the missing
/// messages are read from the log page by page while every batch is held, and then the stream goes on after them.
/// </summary>
public sealed partial class ThreadStream
{
    private void OnGapTimeout()
    {
        lock (_gate)
        {
            _gapTimer?.Dispose();
            _gapTimer = null;
            if (_disposed || _filling)
            {
                return;
            }
            long skipTo;
            if (_held.Count > 0)
            {
                skipTo = _held.Keys.First();
                ChatFrontMetrics.Filled("gap");
            }
            else if (_tailBatch >= _nextBatch)
            {
                skipTo = _tailBatch + 1;
                ChatFrontMetrics.Filled("tail");
            }
            else
            {
                return;
            }
            LogGap(_logger, _threadId, _nextBatch, skipTo - 1);
            StartFill(skipTo);
        }
    }

    /// <summary>Under the lock: holds every batch and reads the log from the next seq; then skips to <paramref name="skipTo"/>.</summary>
    private void StartFill(long skipTo)
    {
        _skipTo = Math.Max(_skipTo, skipTo);
        if (_filling)
        {
            return;
        }
        _filling = true;
        _gapTimer?.Dispose();
        _gapTimer = null;
        // Never inline: the log may answer synchronously, and the fill takes this lock.
        _ = Task.Run(FillAsync);
    }

    private async Task FillAsync()
    {
        while (true)
        {
            long after;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                after = _nextSeq - 1;
            }
            IReadOnlyList<ChatMessage> page;
            try
            {
                page = await _log.ReadAfterAsync(_threadId, after, FillPageSize);
            }
            catch (Exception e)
            {
                // The thread's silo may be gone for a moment: everything stays held until the log answers.
                LogFillFailed(_logger, e, _threadId);
                await Task.Delay(_timings.FillRetryDelay, _time);
                continue;
            }
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                foreach (var message in page)
                {
                    if (message.Seq == _nextSeq)
                    {
                        _nextSeq++;
                        Emit(new MessageCreated(_threadId, message));
                    }
                }
                if (page.Count == FillPageSize)
                {
                    continue;
                }
                FinishFill();
                return;
            }
        }
    }

    private void FinishFill()
    {
        _filling = false;
        if (_skipTo > _nextBatch)
        {
            if (_skipped.Count > MaxSkippedRemembered)
            {
                _skipped.Clear();
            }
            for (var n = _nextBatch; n < _skipTo && _skipped.Count <= MaxSkippedRemembered; n++)
            {
                _skipped.Add(n);
            }
            _nextBatch = _skipTo;
        }
        _skipTo = 0;
        ReleaseOvertaken();
        Drain();
    }

    /// <summary>
    /// Batches that arrived while the fill read the log but lie before where the stream now goes on: their messages
    /// went out from the log, their other events go out now. Left held, they would re-arm the gap timer forever and
    /// start a new fill every gap delay (one grain call and one query each) without ever being released.
    /// </summary>
    private void ReleaseOvertaken()
    {
        while (_held.Count > 0)
        {
            var first = _held.Keys.First();
            if (first >= _nextBatch)
            {
                return;
            }
            _held.Remove(first, out var batch);
            _skipped.Remove(first);
            ChatFrontMetrics.LateBatch();
            Release(batch!);
        }
    }
}
