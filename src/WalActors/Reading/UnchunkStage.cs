using Akka.Streams;
using Akka.Streams.Stage;

namespace WalActors.Reading;

/// <summary>Emits the records of each chunk one by one; cheaper per element than the general SelectMany.</summary>
internal sealed class UnchunkStage : GraphStage<FlowShape<IReadOnlyList<WalRecord>, WalRecord>>
{
    private readonly Inlet<IReadOnlyList<WalRecord>> _in = new("wal.unchunk.in");
    private readonly Outlet<WalRecord> _out = new("wal.unchunk.out");

    public override FlowShape<IReadOnlyList<WalRecord>, WalRecord> Shape => new(_in, _out);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly UnchunkStage _stage;
        private IReadOnlyList<WalRecord>? _chunk;
        private int _next;

        public Logic(UnchunkStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void OnPush()
        {
            _chunk = Grab(_stage._in);
            _next = 0;
            OnPull();
        }

        public override void OnPull()
        {
            if (_chunk is not null && _next < _chunk.Count)
            {
                Push(_stage._out, _chunk[_next++]);
                return;
            }

            _chunk = null;
            if (IsClosed(_stage._in))
            {
                CompleteStage();
            }
            else if (!HasBeenPulled(_stage._in))
            {
                Pull(_stage._in);
            }
        }

        public override void OnUpstreamFinish()
        {
            if (_chunk is null || _next >= _chunk.Count)
            {
                CompleteStage();
            }
        }
    }
}
