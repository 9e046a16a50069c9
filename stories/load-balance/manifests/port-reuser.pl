#!/usr/bin/perl
# netrepro story D: HTTP requests from fixed source ports, each port reusable at once.
#
#   port-reuser.pl HOST PORT FIRST_PORT LAST_PORT REQUESTS_PER_PORT TIMEOUT_S
#     for each source port FIRST_PORT..LAST_PORT, REQUESTS_PER_PORT requests in a row, each on
#     its own connection from that port; one line per port, one [answer] per request:
#       40000 [backend-7c9f-abcde 200] [backend-7c9f-abcde 200]
#       40001 [ 000]                    (no answer; the reason goes to stderr)
#
# Why not curl --local-port: curl and the server close at about the same moment, and a client
# that takes part in the close keeps its port in TIME_WAIT for 60 s, so the port cannot be reused
# at once. Here the request is HTTP/1.0, the server closes first, the client reads to the end and
# then aborts (SO_LINGER 0): no TIME_WAIT on the client, the port is free for the next SYN.
#
# Bounded: (LAST_PORT - FIRST_PORT + 1) * REQUESTS_PER_PORT requests, each at most TIMEOUT_S
# seconds to connect and TIMEOUT_S to read. Talks only to HOST (a ClusterIP).
use strict;
use warnings;
use Socket qw(AF_INET SOCK_STREAM IPPROTO_TCP SOL_SOCKET SO_REUSEADDR SO_LINGER INADDR_ANY inet_aton pack_sockaddr_in);
use IO::Select;

$| = 1;
my ($host, $port, $first, $last, $per_port, $timeout) = @ARGV;
die "usage: $0 HOST PORT FIRST_PORT LAST_PORT REQUESTS_PER_PORT TIMEOUT_S\n" unless defined $timeout;
my $addr = inet_aton($host) or die "not an IPv4 address: $host\n";
my $dest = pack_sockaddr_in($port, $addr);

sub request {
  my ($lport) = @_;
  my $s;
  socket($s, AF_INET, SOCK_STREAM, IPPROTO_TCP) or return (undef, "socket: $!");
  setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1) or return (undef, "SO_REUSEADDR: $!");
  bind($s, pack_sockaddr_in($lport, INADDR_ANY)) or return (undef, "bind $lport: $!");
  my $answer;
  my $err = eval {
    local $SIG{ALRM} = sub { die "connect: no answer within ${timeout} s\n" };
    alarm $timeout;
    connect($s, $dest) or die "connect: $!\n";
    alarm 0;
    syswrite($s, "GET /hostname HTTP/1.0\r\nHost: $host\r\n\r\n") or die "send: $!\n";
    my ($buf, $sel) = ('', IO::Select->new($s));
    while (1) {
      die "read: no end within ${timeout} s\n" unless $sel->can_read($timeout);
      my $n = sysread($s, $buf, 4096, length $buf);
      die "read: $!\n" unless defined $n;
      last if $n == 0;
    }
    my ($code) = $buf =~ m{^HTTP/\d\.\d (\d{3})};
    my ($body) = $buf =~ m{\r\n\r\n(.*)\z}s;
    die "no HTTP status line in the answer\n" unless $code;
    $body = '' unless defined $body;
    $body =~ s/\s+//g;
    $answer = "$body $code";
    undef;
  } // $@;
  alarm 0;
  setsockopt($s, SOL_SOCKET, SO_LINGER, pack('ii', 1, 0));
  close($s);
  return ($answer, $err);
}

for my $lport ($first .. $last) {
  my $line = $lport;
  for (1 .. $per_port) {
    my ($answer, $err) = request($lport);
    $line .= defined $answer ? " [$answer]" : ' [ 000]';
    chomp(my $why = $err // '');
    print STDERR "$lport: $why\n" if $why;
  }
  print "$line\n";
}
