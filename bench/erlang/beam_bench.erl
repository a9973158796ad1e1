%% The Erlang side of Beamish's benchmarks: the same workloads as bench/beamish/, run on the
%% Erlang VM with one scheduler (+S 1:1). Each prints one line: RESULT <value>.
-module(beam_bench).
-behaviour(gen_server).
-behaviour(supervisor).
-export([main/1, init/1, handle_call/3, handle_cast/2, crasher/1]).

-define(M1_REPETITIONS, 5).

main([Id, SizeText]) ->
    Size = list_to_integer(atom_to_list(SizeText)),
    Value = run(Id, Size),
    io:format("RESULT ~p~n", [Value]),
    halt().

now_us() -> erlang:monotonic_time(microsecond).

%% W1: spawn Size processes that each block in receive; processes per second, counted until the
%% last one spawned has run to its receive (the run queue is FIFO, so every earlier one has too).
run('W1', Size) ->
    T0 = now_us(),
    Last = spawn_n(Size, undefined),
    Last ! {ping, self()},
    receive pong -> ok end,
    Size * 1000000 / (now_us() - T0);
%% W1M: bytes of erlang:memory(processes) per blocked process.
run('W1M', Size) ->
    erlang:garbage_collect(),
    Before = erlang:memory(processes),
    Last = spawn_n(Size, undefined),
    Last ! {ping, self()},
    receive pong -> ok end,
    (erlang:memory(processes) - Before) / Size;
%% W2: a ring of 10,000 processes, the token passed Size hops in all; hops per second.
run('W2', Hops) ->
    N = 10000,
    Self = self(),
    First = lists:foldl(fun(_, Next) -> spawn(fun() -> ring_member(Next) end) end, Self, lists:seq(1, N - 1)),
    T0 = now_us(),
    First ! Hops,
    ring_relay(First),
    Hops * 1000000 / (now_us() - T0);
%% W3: one producer sends Size small messages to one consumer that counts them; messages per second.
run('W3', Size) ->
    Self = self(),
    Consumer = spawn(fun() -> consume(Size, Self) end),
    T0 = now_us(),
    spawn(fun() -> produce(Consumer, Size) end),
    receive counted -> ok end,
    Size * 1000000 / (now_us() - T0);
%% W4: Size sequential gen_server:call round trips to one server; calls per second.
run('W4', Size) ->
    {ok, Server} = gen_server:start_link(?MODULE, server, []),
    T0 = now_us(),
    call_n(Server, Size),
    Size * 1000000 / (now_us() - T0);
%% W6: a one_for_one supervisor whose only child exits as soon as it has started; restart cycles
%% per second. Intensity is never reached; reports are switched off, as on the Beamish side.
run('W6', Size) ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    T0 = now_us(),
    {ok, _Sup} = supervisor:start_link(?MODULE, {supervisor, self(), Size}),
    await_starts(Size + 1),
    Size * 1000000 / (now_us() - T0);
%% M1: the equivalent of recon:proc_count(memory, 10) over a mix of Size processes (see
%% spawn_mix/1); seconds, the median of ?M1_REPETITIONS calls.
run('M1', Size) ->
    spawn_mix(Size),
    Times = [time_proc_count() || _ <- lists:seq(1, ?M1_REPETITIONS)],
    lists:nth(?M1_REPETITIONS div 2 + 1, lists:sort(Times));
%% W5: skynet with Size leaves, fan-out 10; seconds.
run('W5', Size) ->
    T0 = now_us(),
    Self = self(),
    spawn(fun() -> skynet(Self, 0, Size) end),
    Sum = receive S -> S end,
    Expected = Size * (Size - 1) div 2,
    Sum = Expected,
    (now_us() - T0) / 1000000;
%% P1: Size sequential round trips of a 16-byte message through a port running cat with a 4-byte
%% length header: port_command, then receive the echoed packet; round trips per second.
run('P1', Size) ->
    Port = open_port({spawn_executable, os:find_executable("cat")}, [{packet, 4}, binary]),
    Message = binary:copy(<<"x">>, 16),
    T0 = now_us(),
    round_trips(Port, Message, Size),
    Rate = Size * 1000000 / (now_us() - T0),
    port_close(Port),
    Rate;
%% P2: Size chunks of 64 KiB streamed through a port running cat (no framing). A sender process
%% calls port_command in a loop (it is suspended while the port is busy); the owner counts the
%% bytes that come back until all have; bytes per second.
run('S1', RoundTrips) -> run_s1(RoundTrips);
run('P2', Size) ->
    Port = open_port({spawn_executable, os:find_executable("cat")}, [stream, binary]),
    Chunk = binary:copy(<<"x">>, 65536),
    T0 = now_us(),
    spawn_link(fun() -> stream_out(Port, Chunk, Size) end),
    count_in(Port, Size * 65536),
    Rate = Size * 65536 * 1000000 / (now_us() - T0),
    port_close(Port),
    Rate.

%% S1: a TCP echo server with a process per connection (10 acceptors), under 100 clients each
%% making RoundTrips sequential 1 KiB round trips over loopback; echoed bytes per second.
run_s1(RoundTrips) ->
    {ok, Listen} = gen_tcp:listen(0, [binary, {active, false}, {ip, {127, 0, 0, 1}}, {nodelay, true}, {reuseaddr, true}, {backlog, 1024}]),
    {ok, Port} = inet:port(Listen),
    [spawn(fun() -> acceptor(Listen) end) || _ <- lists:seq(1, 10)],
    Self = self(),
    T0 = now_us(),
    [spawn(fun() -> echo_client(Port, RoundTrips, Self) end) || _ <- lists:seq(1, 100)],
    [receive client_done -> ok end || _ <- lists:seq(1, 100)],
    100 * RoundTrips * 1024 * 1000000 / (now_us() - T0).

acceptor(Listen) ->
    {ok, Socket} = gen_tcp:accept(Listen),
    Pid = spawn(fun() -> receive go -> ok = inet:setopts(Socket, [{active, true}]), echo(Socket) end end),
    ok = gen_tcp:controlling_process(Socket, Pid),
    Pid ! go,
    acceptor(Listen).

echo(Socket) ->
    receive
        {tcp, Socket, Data} -> ok = gen_tcp:send(Socket, Data), echo(Socket);
        {tcp_closed, Socket} -> ok
    end.

echo_client(Port, RoundTrips, Parent) ->
    {ok, Socket} = gen_tcp:connect({127, 0, 0, 1}, Port, [binary, {active, false}, {nodelay, true}]),
    client_loop(Socket, binary:copy(<<"x">>, 1024), RoundTrips),
    gen_tcp:close(Socket),
    Parent ! client_done.

client_loop(_, _, 0) -> ok;
client_loop(Socket, Message, N) ->
    ok = gen_tcp:send(Socket, Message),
    {ok, _} = gen_tcp:recv(Socket, 1024),
    client_loop(Socket, Message, N - 1).

spawn_n(0, Last) -> Last;
spawn_n(N, _) -> spawn_n(N - 1, spawn(fun blocked/0)).

blocked() ->
    receive {ping, From} -> From ! pong, blocked() end.

ring_member(Next) ->
    receive
        0 -> Next ! 0;
        Hops -> Next ! Hops - 1, ring_member(Next)
    end.

%% The bench process is the ring's last member: it passes the token on until it reaches 0.
ring_relay(First) ->
    receive
        0 -> ok;
        Hops -> First ! Hops - 1, ring_relay(First)
    end.

produce(_, 0) -> ok;
produce(Consumer, N) -> Consumer ! N, produce(Consumer, N - 1).

consume(0, Parent) -> Parent ! counted;
consume(N, Parent) -> receive _ -> consume(N - 1, Parent) end.

skynet(Parent, Num, 1) -> Parent ! Num;
skynet(Parent, Num, Size) ->
    Child = Size div 10,
    Self = self(),
    [spawn(fun() -> skynet(Self, Num + I * Child, Child) end) || I <- lists:seq(0, 9)],
    Parent ! collect(10, 0).

collect(0, Sum) -> Sum;
collect(N, Sum) -> receive S -> collect(N - 1, Sum + S) end.

round_trips(_, _, 0) -> ok;
round_trips(Port, Message, N) ->
    port_command(Port, Message),
    receive {Port, {data, Message}} -> round_trips(Port, Message, N - 1) end.

stream_out(_, _, 0) -> ok;
stream_out(Port, Chunk, N) -> port_command(Port, Chunk), stream_out(Port, Chunk, N - 1).

count_in(_, 0) -> ok;
count_in(Port, Left) -> receive {Port, {data, Data}} -> count_in(Port, Left - byte_size(Data)) end.

call_n(_, 0) -> ok;
call_n(Server, N) -> ping = gen_server:call(Server, ping), call_n(Server, N - 1).

init(server) -> {ok, 0};
init({worker, I}) -> {ok, #{count => I, name => iolist_to_binary(["worker-", integer_to_list(I)]), recent => lists:seq(1, 10)}};
init({supervisor, Parent, Size}) ->
    Child = #{id => crasher, start => {?MODULE, crasher, [Parent]}, restart => permanent},
    {ok, {#{strategy => one_for_one, intensity => Size + 10, period => 1}, [Child]}}.

handle_call(ping, _From, State) -> {reply, ping, State}.
handle_cast(_, State) -> {noreply, State}.

%% The child: tells the bench it started, then exits at once.
crasher(Parent) ->
    {ok, spawn_link(fun() -> Parent ! started, exit(crash) end)}.

await_starts(0) -> ok;
await_starts(N) -> receive started -> await_starts(N - 1) end.

%% M1's process mix, Size in all: of every 100, one gen_server with a small state (a count, a
%% name, a list of ten numbers), ten processes blocked in a receive with three messages queued
%% that it does not match, and 89 blocked in receive with an empty mailbox. Returns once all have
%% reached their receive (the last plain one answers a ping; the run queue is FIFO).
spawn_mix(Size) ->
    Last = spawn_mix(0, Size, undefined),
    Last ! {ping, self()},
    receive pong -> ok end.

spawn_mix(Size, Size, undefined) -> spawn(fun blocked/0);
spawn_mix(Size, Size, Last) -> Last;
spawn_mix(I, Size, Last) when I rem 100 =:= 0 ->
    {ok, _} = gen_server:start(?MODULE, {worker, I}, []),
    spawn_mix(I + 1, Size, Last);
spawn_mix(I, Size, Last) when I rem 100 =< 10 ->
    Queued = spawn(fun blocked/0),
    [Queued ! {note, Note, I} || Note <- lists:seq(0, 2)],
    spawn_mix(I + 1, Size, Last);
spawn_mix(I, Size, _) ->
    spawn_mix(I + 1, Size, spawn(fun blocked/0)).

time_proc_count() ->
    T0 = now_us(),
    Top = proc_count(memory, 10),
    Seconds = (now_us() - T0) / 1000000,
    10 = length(Top),
    Seconds.

%% What recon:proc_count/2 does, from its documentation: the Attr of every other live process,
%% with its name (if registered), initial call and current function, gathered into one list, then
%% the N largest kept by a bounded selection (O(processes * log N)), largest first.
proc_count(Attr, N) ->
    Self = self(),
    Rows = [{Pid, Value, registered(Name) ++ [Init, Current]}
            || Pid <- processes(), Pid =/= Self,
               [{_, Value}, {registered_name, Name}, Init, Current]
                   <- [process_info(Pid, [Attr, registered_name, current_function, initial_call])]],
    largest(Rows, N).

registered(Name) when is_atom(Name) -> [Name];
registered(_) -> [].

%% The N rows with the largest values, largest first: a gb_tree of at most N rows keyed by
%% {Value, Pid}, and its smallest key kept at hand so a row that does not get in costs one
%% comparison.
largest(_, 0) -> [];
largest(Rows, N) -> fill(Rows, N, gb_trees:empty()).

fill([], _, Top) -> ranked(Top);
fill(Rows, 0, Top) -> {Floor, _} = gb_trees:smallest(Top), keep(Rows, Floor, Top);
fill([{Pid, Value, _} = Row | Rows], N, Top) -> fill(Rows, N - 1, gb_trees:insert({Value, Pid}, Row, Top)).

keep([], _, Top) -> ranked(Top);
keep([{Pid, Value, _} = Row | Rows], Floor, Top) when {Value, Pid} > Floor ->
    {_, _, Rest} = gb_trees:take_smallest(Top),
    Top1 = gb_trees:insert({Value, Pid}, Row, Rest),
    {Floor1, _} = gb_trees:smallest(Top1),
    keep(Rows, Floor1, Top1);
keep([_ | Rows], Floor, Top) -> keep(Rows, Floor, Top).

ranked(Top) -> lists:reverse(gb_trees:values(Top)).
