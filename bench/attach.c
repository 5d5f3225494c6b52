// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Loads a BPF object, attaches every program in it and waits for SIGINT/SIGTERM. The overhead
 * benchmark uses it to attach the empty baseline program (empty.bpf.c) exactly as the exporter
 * attaches its own: bpftool 7.1 (Debian 12) cannot auto-attach tp_btf programs.
 *
 *   attach OBJECT [PIN_MAP_NAME PIN_PATH]
 */
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	int err;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: %s OBJECT [MAP PIN_PATH]\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("open");
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "load: %d\n", err);
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__attach(prog)) {
			perror(bpf_program__name(prog));
			return 1;
		}
	}
	if (argc == 4 && bpf_map__pin(bpf_object__find_map_by_name(obj, argv[2]), argv[3])) {
		perror("pin");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("attached\n");
	fflush(stdout);
	while (!stop)
		pause();
	if (argc == 4)
		unlink(argv[3]);
	bpf_object__close(obj);
	return 0;
}
