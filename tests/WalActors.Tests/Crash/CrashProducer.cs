using Akka.Actor;

namespace WalActors.Tests.Crash;

/// <summary>
/// An actor that sends its requests to the log with a few in flight, records each acknowledgement in the store's
/// history the moment it arrives, and completes <c>done</c> with any broken promise once every request is answered.
/// </summary>
internal sealed class CrashProducer : ReceiveActor
{
    public CrashProducer(IActorRef log, IReadOnlyList<WorkloadRequest> requests, int inFlight, PowerLossStore store, TaskCompletionSource<IReadOnlyList<string>> done)
    {
        var problems = new List<string>();
        var sent = 0;
        var answered = 0;

        void SendNext()
        {
            if (sent < requests.Count)
            {
                log.Tell(requests[sent].ToMessage(sent));
                sent++;
            }
        }

        void Answered()
        {
            if (++answered < requests.Count)
            {
                SendNext();
                return;
            }

            done.TrySetResult(problems);
            Context.Stop(Self);
        }

        Receive<Appended>(appended =>
        {
            store.RecordAcknowledgement(new Acknowledgement(requests[(int)appended.CorrelationId!], [appended.Lsn.Value]));
            Answered();
        });
        Receive<BatchAppended>(appended =>
        {
            var request = requests[(int)appended.CorrelationId!];
            if (appended.Lsns.Count != request.Payloads.Count)
            {
                problems.Add($"{request} was acknowledged with {appended.Lsns.Count} LSNs");
            }

            store.RecordAcknowledgement(new Acknowledgement(request, appended.Lsns.Select(l => l.Value).ToArray()));
            Answered();
        });
        Receive<AppendFailed>(failed =>
        {
            if (!ClientProducer.IsExpectedFailure(failed.Reason, store))
            {
                problems.Add($"{requests[(int)failed.CorrelationId!]} failed with the power on: {failed.Reason.Message}");
            }

            Answered();
        });

        for (var i = 0; i < inFlight; i++)
        {
            SendNext();
        }
    }
}
