#!/usr/bin/perl
# Perl's Net::UPnP (Debian libnet-upnp-perl) as a second control point: SSDP discovery with
# Net::UPnP::ControlPoint, then Net::UPnP::AV::MediaServer's getcontentlist through the whole tree
# in pages, each item's duration from its BrowseMetadata, and the first KiB of one item of each
# kind fetched with Net::UPnP::HTTP. One JSON object per line on stdout.
#   net_upnp_browse.pl NAME [PAGE]
use strict;
use warnings;
use JSON::PP;
use Net::UPnP::ControlPoint;
use Net::UPnP::AV::MediaServer;
use Net::UPnP::HTTP;

my ($name, $page) = @ARGV;
$page ||= 5;
my $json = JSON::PP->new->canonical;
sub out { print $json->encode({@_}), "\n"; }

my $cp = Net::UPnP::ControlPoint->new();
my ($dev) = grep { $_->getfriendlyname() eq $name } $cp->search(st => 'urn:schemas-upnp-org:device:MediaServer:1', mx => 2);
unless ($dev) { out(event => 'error', message => "no MediaServer named $name"); exit 1; }
out(event => 'found', name => $dev->getfriendlyname(), udn => $dev->getudn());
my $ms = Net::UPnP::AV::MediaServer->new();
$ms->setdevice($dev);

my (%items, @queue, $containers, $requests);
@queue = ('0');
while (defined(my $id = shift @queue)) {
  for (my $start = 0; ; $start += $page) {
    my @list = $ms->getcontentlist(ObjectID => $id, StartingIndex => $start, RequestedCount => $page);
    $requests++;
    for my $c (@list) {
      if ($c->iscontainer()) { $containers++; push @queue, $c->getid(); next; }
      next if $items{$c->getid()};
      $items{$c->getid()} = { id => $c->getid(), title => Net::UPnP::HTTP::xmldecode($c->gettitle()), url => $c->geturl(), contentType => $c->getcontenttype() };
    }
    last if @list < $page;
  }
}
for my $it (values %items) {
  my $res = $ms->browsemetadata(ObjectID => $it->{id});
  my $didl = $res->getargumentlist()->{Result} // '';
  $it->{class} = $1 if $didl =~ m/upnp:class&gt;(.*?)&lt;/ || $didl =~ m/<upnp:class>(.*?)</;
  $it->{duration} = $1 if $didl =~ m/duration=(?:&quot;|")([\d:.]+)/;
}
out(event => 'browsed', containers => $containers, requests => $requests, items => [sort { $a->{id} cmp $b->{id} } values %items]);

my %fetched;
for my $it (sort { $a->{id} cmp $b->{id} } values %items) {
  my ($kind) = ($it->{class} // '') =~ m/^object\.item\.(\w+)/;
  next if !$kind || $fetched{$kind};
  my ($host, $port, $path) = $it->{url} =~ m{^http://([^:/]+):(\d+)(/.*)$};
  my $r = Net::UPnP::HTTP->new()->post($host, $port, 'GET', $path, { 'Range' => 'bytes=0-1023' }, '');
  # A live transcode (?c=...) answers a byte range with the whole stream (Accept-Ranges: none).
  $fetched{$kind} = { title => $it->{title}, status => $r->getstatuscode(), bytes => length($r->getcontent() // ''), transcode => ($path =~ m/[?&]c=/ ? JSON::PP::true : JSON::PP::false) };
}
out(event => 'fetched', kinds => \%fetched);
out(event => 'updateId', id => $ms->getsystemupdateid());
