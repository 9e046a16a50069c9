#!/usr/bin/perl
# netrepro story E: a UDP client that behaves like a resolver or a metrics agent.
#
#   udp-client.pl connected|unconnected HOST PORT INTERVAL_MS TIMEOUT_MS MAX_ATTEMPTS
#     one datagram per interval from ONE long-lived socket, one JSON line per attempt:
#     {"t":ms,"seq":n,"sock":generation,"lport":port,"result":"reply","from":"ip:port","reply":"text","rttMs":n}
#     result is reply | timeout | refused | error (with "error":"send: ..." or "recv: ...").
#     refused is the kernel passing on an ICMP port-unreachable (ECONNREFUSED): the client keeps
#     its socket, as send-and-forget clients (statsd, syslog) do, and so does a timeout. After
#     any other error the socket is closed and a new one opened.
#     A connected socket reads with read(), not recvfrom(), like nginx's resolver: no address is
#     asked for, so Cilium's recvmsg hook never looks at (or refreshes) the socket's reverse entry.
#   udp-client.pl fill HOST PORT COUNT
#     COUNT fresh unconnected sockets, each sendto()s one datagram and closes: one line at the end.
#
# Bounded: MAX_ATTEMPTS attempts, COUNT sockets. Talks only to HOST (a ClusterIP).
use strict;
use warnings;
use Socket qw(AF_INET SOCK_DGRAM IPPROTO_UDP inet_aton inet_ntoa pack_sockaddr_in unpack_sockaddr_in);
use Time::HiRes qw(time sleep);
use Errno qw(ECONNREFUSED);

$| = 1;
my ($mode, $host, $port, @rest) = @ARGV;
die "usage: $0 connected|unconnected|fill HOST PORT ...\n" unless $mode && $host && $port;
my $addr = inet_aton($host) or die "not an IPv4 address: $host\n";
my $dest = pack_sockaddr_in($port, $addr);
my $now_ms = sub { int(time() * 1000) };

if ($mode eq 'fill') {
  my ($count) = @rest;
  my ($sent, $failed) = (0, 0);
  for my $i (1 .. $count) {
    my $s;
    if (socket($s, AF_INET, SOCK_DGRAM, IPPROTO_UDP) && defined send($s, "fill $i", 0, $dest)) { $sent++ } else { $failed++ }
    close($s) if $s;
  }
  print qq({"t":${\ $now_ms->()},"filled":$sent,"failed":$failed}\n);
  exit 0;
}

my ($interval_ms, $timeout_ms, $max) = @rest;
die "mode must be connected or unconnected\n" unless $mode eq 'connected' || $mode eq 'unconnected';
my ($sock, $generation, $lport) = (undef, 0, 0);

sub json_str { my $v = shift; $v =~ s/(["\\])/\\$1/g; $v =~ s/[\x00-\x1f]/ /g; return qq("$v"); }

sub open_socket {
  socket($sock, AF_INET, SOCK_DGRAM, IPPROTO_UDP) or return "socket: $!";
  if ($mode eq 'connected') { connect($sock, $dest) or return "connect: $!"; }
  $generation++;
  return undef;
}

sub local_port { my $name = getsockname($sock); return $name ? (unpack_sockaddr_in($name))[0] : 0; }

for my $seq (1 .. $max) {
  my $started = time();
  my %line = (t => $now_ms->(), seq => $seq);
  my $refused = 0;
  my $error = defined $sock ? undef : open_socket();
  if (!defined $error) {
    my $sent = $mode eq 'connected' ? send($sock, "seq $seq", 0) : send($sock, "seq $seq", 0, $dest);
    if (!defined $sent) { $error = "send: $!"; $refused = $! == ECONNREFUSED; }
  }
  if (!defined $error) {
    my $rin = '';
    vec($rin, fileno($sock), 1) = 1;
    if (select(my $rout = $rin, undef, undef, $timeout_ms / 1000) > 0) {
      my $buf = '';
      my $from = $mode eq 'connected' ? (defined sysread($sock, $buf, 512) ? '' : undef) : recv($sock, $buf, 512, 0);
      if (defined $from) {
        %line = (%line, result => 'reply', reply => json_str($buf), rttMs => int((time() - $started) * 1000));
        if (length $from) {
          my ($fport, $faddr) = unpack_sockaddr_in($from);
          $line{from} = json_str(inet_ntoa($faddr) . ":$fport");
        }
      } else {
        $error = "recv: $!";
        $refused = $! == ECONNREFUSED;
      }
    } else {
      $line{result} = 'timeout';
    }
  }
  $line{sock} = $generation;
  $line{lport} = defined $sock && (!defined $error || $refused) ? local_port() : 0;
  if ($refused) {
    %line = (%line, result => 'refused', error => json_str($error));
  } elsif (defined $error) {
    %line = (%line, result => 'error', error => json_str($error));
    close($sock) if defined $sock;
    undef $sock;
  }
  $line{result} = json_str($line{result});
  print '{' . join(',', map { qq("$_":$line{$_}) } qw(t seq sock lport result), grep { exists $line{$_} } qw(from reply rttMs error)) . "}\n";
  my $left = $interval_ms / 1000 - (time() - $started);
  sleep($left) if $left > 0;
}
