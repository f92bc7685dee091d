package org.signaling.api.dn;

import org.signaling.api.shared.ReadyAnswer;
import org.signaling.api.shared.ReadyRead;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/dn}: DN status for routing and agent dashboards. */
@RestController
@RequestMapping(path = "/api/dn", produces = "application/json")
class DnController {

	private final DnAnswers answers;

	DnController(DnAnswers answers) {
		this.answers = answers;
	}

	// A literal segment wins over a template in Spring's matching, so "list" is never read as a DN.
	@ReadyRead
	@GetMapping("/list")
	ReadyAnswer<DnListResponse> list() {
		return ReadyAnswer.ok(answers.list());
	}

	@ReadyRead
	@GetMapping("/{dn}")
	ReadyAnswer<DnResponse> find(@PathVariable String dn) {
		return ReadyAnswer.ok(answers.find(dn));
	}

}
