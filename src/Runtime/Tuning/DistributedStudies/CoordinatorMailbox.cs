using System.Collections.Concurrent;
using System.Threading.Channels;
using DestinyDsl.Runtime.Distributed.Mpi;

namespace DestinyDsl.Runtime.Tuning.DistributedStudies;

/// <summary>A message that arrived at the coordinator from a group leader.</summary>
internal readonly record struct IncomingMessage(StudyTag Tag, byte[] Payload);

/// <summary>
/// The coordinator's side of the study's control messages: one thread makes every MPI call of the coordinator (sends
/// queued by the trials' proxies on the to-workers communicator, and polls the to-coordinator one for what the group
/// leaders send), and files each received message in its sender's inbox. One thread, so receiving after a probe can
/// never take another thread's message. One communicator per direction, so a leader on the coordinator's own rank
/// (<see cref="DistributedStudyOptions.CoordinatorTrains"/>) and the coordinator never take each other's messages.
/// </summary>
internal sealed class CoordinatorMailbox : IDisposable
{
    private readonly MpiCommunicator _toWorkers;
    private readonly MpiCommunicator _toCoordinator;
    private readonly Dictionary<int, Channel<IncomingMessage>> _inboxes;
    private readonly ConcurrentQueue<(int Destination, StudyTag Tag, byte[] Payload)> _outgoing = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _pump;
    private volatile bool _stopping;

    /// <param name="toWorkers">The job's communicator for coordinator → leader messages.</param>
    /// <param name="toCoordinator">The job's communicator for leader → coordinator messages.</param>
    /// <param name="leaders">The leaders' ranks in the job.</param>
    public CoordinatorMailbox(MpiCommunicator toWorkers, MpiCommunicator toCoordinator, IEnumerable<int> leaders)
    {
        _toWorkers = toWorkers;
        _toCoordinator = toCoordinator;
        _inboxes = leaders.ToDictionary(rank => rank, _ => Channel.CreateUnbounded<IncomingMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }));
        // An exception on this thread is unhandled and so ends the MPI job (MpiJob's handler): a coordinator that can no
        // longer talk to its workers must not leave them waiting.
        _pump = new Thread(Pump) { IsBackground = true, Name = "study coordinator mailbox" };
        _pump.Start();
    }

    /// <summary>Queues a message for <paramref name="destination"/>; the mailbox's thread sends it.</summary>
    public void Send(int destination, StudyTag tag, byte[] payload)
    {
        _outgoing.Enqueue((destination, tag, payload));
        _wake.Set();
    }

    /// <summary>The messages from <paramref name="leader"/>, in the order it sent them.</summary>
    public ChannelReader<IncomingMessage> Inbox(int leader) => _inboxes[leader].Reader;

    private void Pump()
    {
        var wait = new PollingWait();
        while (true)
        {
            var busy = false;
            while (_outgoing.TryDequeue(out var message))
            {
                _toWorkers.Send(message.Payload, message.Destination, (int)message.Tag);
                busy = true;
            }
            if (_toCoordinator.TryProbe(source: null, tag: null, out var info))
            {
                var payload = _toCoordinator.Receive(info);
                if (!_inboxes.TryGetValue(info.Source, out var inbox))
                    throw new InvalidOperationException($"The study coordinator got a message (tag {info.Tag}) from rank {info.Source}, which leads no worker group.");
                inbox.Writer.TryWrite(new IncomingMessage((StudyTag)info.Tag, payload));
                busy = true;
            }
            if (busy)
            {
                wait.Reset();
                continue;
            }
            if (_stopping && _outgoing.IsEmpty)
                return;
            wait.Idle(_wake);
        }
    }

    /// <summary>Sends what is still queued, then stops the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _pump.Join();
        _wake.Dispose();
    }
}
