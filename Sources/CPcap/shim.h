// The C interface of libpcap, imported by UsnetPcap (and nothing else).
#ifndef USNET_CPCAP_SHIM_H
#define USNET_CPCAP_SHIM_H

#include <stdio.h>
#include <pcap/pcap.h>

#endif
